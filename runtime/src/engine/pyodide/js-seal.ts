// Defense in depth behind the FFI lockdown: if Python ever reached JavaScript again (a CPython
// memory-safety bug, say), what it could touch must not outlive the call. Pyodide's JS objects
// are frozen after boot — the public API, its internal API, the Emscripten module, FS's
// operations and the filesystems' op tables — so nothing can be replaced or added; the doors
// that would create new state outside the restore (mounts, loading wasm code, lazy files) are
// refused; and the mutable state that remains (the FS tree, fds, counters, the JS reference
// tables) is put back by the restore and checked by the fingerprint (fingerprint.ts).

const refuse = (name: string) => () => {
  throw new Error(`arbor: ${name} is disabled after boot`);
};

/** FS operations that would bring state the restore does not walk (mounts, lazy or preloaded files). */
const FS_DOORS = ["mount", "unmount", "createLazyFile", "createPreloadedFile", "preloadFile", "syncfs", "registerDevice", "createDevice"];
/** Emscripten module doors: new wasm code, other filesystems. */
const MODULE_DOORS = ["loadWebAssemblyModule", "loadDynamicLibrary", "dlopenInternal", "FS_mount", "FS_unmount", "FS_createLazyFile", "FS_createPreloadedFile", "FS_preloadFile", "FS_createDevice"];
const MODULE_FILESYSTEMS = ["NODEFS", "IDBFS", "WORKERFS", "PROXYFS"];
/** Flags Pyodide's own code sets on its internal API while running. */
const API_RUNTIME_FLAGS = ["fail_test", "debug_ffi"] as const;
/** Written by Emscripten itself when memory grows (updateMemoryViews). */
const HEAP_VIEWS = /^HEAP(8|16|32|64|U8|U16|U32|U64|F32|F64)$/;

export interface SealTargets {
  /** The public API object loadPyodide returned. */
  publicApi: object;
  /** Pyodide's internal API (pyodide._api). */
  api: object;
  /** The Emscripten module (pyodide._module). */
  module: Record<string, unknown>;
  fs: Record<string, unknown> & { filesystems: Record<string, { ops_table?: unknown; node_ops?: unknown; stream_ops?: unknown }> };
  /** Device op tables (FS.devices) and anything else whose methods must stay what they are. */
  opTables: object[];
}

export function sealJsSide(t: SealTargets): { frozen: number; doors: string[] } {
  const doors: string[] = [];
  for (const name of FS_DOORS) if (typeof t.fs[name] === "function") (t.fs[name] = refuse(`FS.${name}`), doors.push(`FS.${name}`));
  for (const name of MODULE_DOORS) if (typeof t.module[name] === "function") (t.module[name] = refuse(name), doors.push(name));
  for (const name of MODULE_FILESYSTEMS) if (name in t.module) (t.module[name] = undefined, doors.push(name));
  let frozen = 0;
  // The APIs' own properties: nothing replaced, nothing added (what they point at is sealed
  // on its own: FS below, the op tables deeply).
  frozen += freezeExcept(t.publicApi as Record<string, unknown>, () => false);
  // Pyodide's C core raises two debug flags on the API at run time (FAIL paths, setDebug): they
  // stay plain writable booleans; the fingerprint shows if a call flipped one.
  const api = t.api as Record<string, unknown>;
  for (const flag of API_RUNTIME_FLAGS) if (!(flag in api)) api[flag] = false;
  frozen += freezeExcept(api, (key) => (API_RUNTIME_FLAGS as readonly string[]).includes(key));
  for (const table of t.opTables) frozen += deepFreezeOps(table);
  frozen += freezeExcept(t.module, (key) => HEAP_VIEWS.test(key));
  // FS's data (root, streams, counters, cwd) stays mutable: the restore owns it.
  frozen += freezeExcept(t.fs, (key, value) => typeof value !== "function");
  return { frozen, doors };
}

/** Makes every own property non-writable and non-configurable unless `keep` says so; no new ones. */
function freezeExcept(target: Record<string, unknown>, keep: (key: string, value: unknown) => boolean): number {
  let n = 0;
  for (const key of Object.keys(target)) {
    const desc = Object.getOwnPropertyDescriptor(target, key);
    if (!desc?.configurable || keep(key, desc.value)) continue;
    Object.defineProperty(target, key, "value" in desc ? { value: desc.value, writable: false, configurable: false, enumerable: desc.enumerable } : { ...desc, configurable: false });
    n++;
  }
  Object.preventExtensions(target);
  return n;
}

/** Freezes an object and the plain objects of functions it holds (op tables nest one level). */
function deepFreezeOps(target: object): number {
  let n = 0;
  const seen = new Set<object>();
  const visit = (o: object, depth: number) => {
    if (seen.has(o) || Object.isFrozen(o)) return;
    seen.add(o);
    Object.freeze(o);
    n++;
    if (depth === 0) return;
    for (const key of Object.keys(o)) {
      const v = (o as Record<string, unknown>)[key];
      if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) visit(v, depth - 1);
    }
  };
  visit(target, 2);
  return n;
}
