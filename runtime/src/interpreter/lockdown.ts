// The in-process layer against Python reaching the executor's JavaScript: Pyodide hands Python
// JS objects (JsProxy) through its FFI (`pyodide.ffi.to_js`, internal callbacks), and from any
// JS object `.constructor.constructor` is the Function constructor. Two measures, applied after
// boot and before the snapshot:
// - the executor runs with --disallow-code-generation-from-strings, so Function("...") throws;
// - the shared intrinsics (built-in prototypes and constructors) are frozen, so a call cannot
//   plant state in them (prototype pollution) for the next call to find.
// This narrows the surface; it does not close it: the OS confinement of the executor process
// (see docs/security.md) is the boundary.

const INTRINSICS: unknown[] = [
  Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Error, TypeError, RangeError,
  SyntaxError, ReferenceError, EvalError, URIError, AggregateError, Promise, Map, Set, WeakMap,
  WeakSet, WeakRef, RegExp, Date, ArrayBuffer, SharedArrayBuffer, DataView, JSON, Math, Reflect,
  Atomics, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
  Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array, Proxy,
];

/** Freezes every intrinsic, its prototype, and the hidden prototypes reachable from them. */
export function freezeIntrinsics(): number {
  const seen = new Set<unknown>();
  const queue: unknown[] = [...INTRINSICS];
  // Prototypes with no global name: iterators, generators, async functions, typed arrays.
  queue.push(
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(async function* () {}),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
    Object.getPrototypeOf(new Map().entries()),
    Object.getPrototypeOf(new Set().values()),
    Object.getPrototypeOf(""[Symbol.iterator]()),
    Object.getPrototypeOf(Int8Array),
    WebAssembly,
  );
  while (queue.length > 0) {
    const value = queue.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key);
      if (!desc) continue;
      if ("value" in desc) queue.push(desc.value);
      else queue.push(desc.get, desc.set);
    }
    queue.push(Object.getPrototypeOf(value));
    Object.freeze(value);
  }
  return seen.size;
}
