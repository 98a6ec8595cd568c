// Takes Pyodide's foreign-function interface away from Python before the snapshot: Python-side
// (runtime/python/arbor_lockdown.py), in the stdlib zip, in CPython's builtin table, in the
// PyProxies the JS API holds into Python, in two C statics, and at the wasm import every JsProxy
// is made through (sealed last). After this, nothing in the interpreter can turn a JS value into
// a Python object, and the JS API keeps no handle into Python but the runner's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PyodideAPI } from "pyodide";
import type { ImportGate } from "./wasm-imports.ts";
import { removeBuiltins } from "./lockdown.ts";
import { filterZip } from "./stdlib-zip.ts";

export const STDLIB_ZIP = "/lib/python314.zip";
const SITE_PACKAGES = "/lib/python3.14/site-packages";
/** Top-level names of the FFI (mirrors FFI_MODULES in arbor_lockdown.py). */
const FFI_PACKAGES = ["js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core"];

interface PyProxyLike {
  destroy(): void;
}

interface CoreModule {
  HEAPU32: Uint32Array;
  _Py_IncRef(ptr: number): void;
  _Py_DecRef(ptr: number): void;
  /** Addresses of exported data symbols (C globals of Pyodide's core and CPython). */
  [symbol: string]: unknown;
}

interface CoreApi {
  isPyProxy(value: unknown): boolean;
}

export interface FfiLockdownReport {
  zipEntriesDropped: number;
  proxiesDestroyed: number;
  /** C statics that held FFI objects, now pointing at plain interpreter objects. */
  staticsReleased: string[];
  /** Why a static was left in place (its object stays, unable to make a JsProxy once sealed). */
  staticsKept: string[];
}

/** Pyodide core's exported data symbols: its file-level statics sit among them. */
const CORE_STATIC_SYMBOLS = ["_py_jsnull", "_py_JsBigInt", "_internal_error", "_conversion_error", "_jsbind", "_default_signature", "_no_default", "_py_docstring_mod"];
const STATIC_WINDOW = 64 * 1024;

export function lockDownFfi(pyodide: PyodideAPI, gate: ImportGate, pythonDir: string, keep: ReadonlySet<unknown>): FfiLockdownReport {
  const module = (pyodide as unknown as { _module: CoreModule })._module;
  const api = (pyodide as unknown as { _api: CoreApi })._api;
  const report: FfiLockdownReport = { zipEntriesDropped: 0, proxiesDestroyed: 0, staticsReleased: [], staticsKept: [] };

  pyodide.FS.writeFile(`${SITE_PACKAGES}/arbor_lockdown.py`, readFileSync(join(pythonDir, "arbor_lockdown.py"), "utf8"));
  const lockdown = pyodide.runPython("import arbor_lockdown\narbor_lockdown") as unknown as {
    ffi_handles(): string;
    lockdown(): void;
  } & PyProxyLike;
  const handles = JSON.parse(lockdown.ffi_handles()) as { metaclass: number; types_made: number; js_exception: number };
  // The C core gives the JsProxy types it makes their metaclass without taking a reference to
  // it (Py_SET_TYPE in jsproxy.c), so freeing them would free the metaclass under the types that
  // remain: take the references it never took.
  for (let i = 0; i < handles.types_made; i++) module._Py_IncRef(handles.metaclass);

  report.zipEntriesDropped = stripStdlibZip(pyodide);
  lockdown.lockdown();
  lockdown.destroy();
  pyodide.FS.unlink(`${SITE_PACKAGES}/arbor_lockdown.py`);
  report.proxiesDestroyed = destroyApiProxies(pyodide, api, module, keep);
  releaseStatic(module, "py_jsnull", module._py_jsnull as number, staticTarget(module, "__Py_NoneStruct", false), report);
  releaseStatic(module, "JsException", findCoreStatic(module, handles.js_exception), staticTarget(module, "_PyExc_RuntimeError", true), report);
  if (removeBuiltins(module as unknown as Parameters<typeof removeBuiltins>[0], ["_pyodide_core"]) === 0) {
    throw new Error("ffi lockdown: _pyodide_core is not in the builtin table");
  }
  gate.seal();
  return report;
}

/** Rewrites the stdlib zip without Pyodide's packages; returns how many entries went. */
function stripStdlibZip(pyodide: PyodideAPI): number {
  const { zip, dropped } = filterZip(pyodide.FS.readFile(STDLIB_ZIP), (name) => FFI_PACKAGES.includes(name.split("/")[0]!));
  pyodide.FS.writeFile(STDLIB_ZIP, zip);
  return dropped;
}

/** Every PyProxy the public API, its internal API and the Emscripten module hold, but `keep`. */
function destroyApiProxies(pyodide: PyodideAPI, api: CoreApi, module: CoreModule, keep: ReadonlySet<unknown>): number {
  let destroyed = 0;
  for (const holder of [pyodide as unknown as Record<PropertyKey, unknown>, api as unknown as Record<PropertyKey, unknown>, module]) {
    for (const key of Reflect.ownKeys(holder)) {
      const desc = Object.getOwnPropertyDescriptor(holder, key);
      const value = desc && "value" in desc ? desc.value : undefined;
      if (keep.has(value) || !api.isPyProxy(value)) continue;
      try {
        (value as PyProxyLike).destroy();
        destroyed++;
      } catch {
        // already destroyed through another holder
      }
    }
  }
  return destroyed;
}

/** The object a released static points at instead: an immortal interpreter object. */
function staticTarget(module: CoreModule, symbol: string, isPointer: boolean): number {
  const address = module[symbol];
  if (typeof address !== "number") throw new Error(`ffi lockdown: ${symbol} is not exported`);
  return isPointer ? module.HEAPU32[address >>> 2]! : address;
}

/**
 * The address of the one C static (in the span of the core's exported statics) that holds
 * `object`, or a reason why it cannot be told exactly (then the static is left alone).
 */
function findCoreStatic(module: CoreModule, object: number): number | string {
  const anchors = CORE_STATIC_SYMBOLS.map((s) => module[s]).filter((a): a is number => typeof a === "number");
  if (anchors.length === 0) return "none of Pyodide core's static symbols are exported";
  const heap = module.HEAPU32;
  const from = Math.max(0, Math.min(...anchors) - STATIC_WINDOW) >>> 2;
  const to = Math.min(heap.length, (Math.max(...anchors) + STATIC_WINDOW) >>> 2);
  const hits: number[] = [];
  for (let i = from; i < to; i++) if (heap[i] === object) hits.push(i << 2);
  return hits.length === 1 ? hits[0]! : `${hits.length} candidate statics (expected exactly one)`;
}

/** Points a C static at `replacement` (immortal) and drops the reference it held. */
function releaseStatic(module: CoreModule, name: string, at: number | string, replacement: number, report: FfiLockdownReport): void {
  if (typeof at === "string") {
    report.staticsKept.push(`${name}: ${at}`);
    return;
  }
  const heap = module.HEAPU32;
  const held = heap[at >>> 2]!;
  heap[at >>> 2] = replacement;
  module._Py_DecRef(held);
  report.staticsReleased.push(name);
}
