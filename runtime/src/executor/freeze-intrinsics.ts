// The executor's shared JavaScript intrinsics (built-in prototypes and constructors) are frozen
// once boot is done: whatever reaches the executor's JS during a call (nothing should: see
// docs/security.md) cannot plant state in them for a later call to find. Typed-array element
// stores in code V8 first optimizes after this are slower (state-cache.ts uses DataView).
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

