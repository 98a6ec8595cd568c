// The JS functions Pyodide's wasm module imports are its only way out of linear memory. A few of
// them reach the host: a shell (os.system → __emscripten_system → child_process), eval
// (emscripten_run_script), sockets (Emscripten's socket syscalls → node:net / WebSocket) and the
// dynamic loader (a .so written by Python becomes a new wasm module linked to every import).
// They are replaced before instantiation, so neither Python, nor ctypes, nor a forged function
// pointer can call the originals: the replacement is what the wasm module is linked against.
// (Python-level blocks can be undone from Python; a wasm import cannot.)
//
// The same seam closes the foreign-function interface: every JsProxy (a Python object wrapping a
// JS value) is made through one import, JsProxy_compute_typeflags (Pyodide's src/core/jsproxy.c:
// JsProxy_create, JsProxy_create_objmap and the JS-side _JsProxy_create all ask it first). Once the
// module is sealed it answers -1, which the C core turns into a Python exception, so no JS value
// can become a Python object again, whatever Python still holds (runtime/python/arbor_lockdown.py).
import type { loadPyodide } from "pyodide";
import { WASM_PAGE } from "../../wasm-page.ts";

type Fn = (...args: number[]) => number | undefined;
type CreateModule = NonNullable<NonNullable<Parameters<typeof loadPyodide>[0]>["createPyodideModule"]>;
type Settings = Parameters<CreateModule>[0];

// Emscripten's errno numbering (not Linux's): EACCES=2, ENOSYS=52.
const EACCES = 2;

const SOCKET_SYSCALLS = [
  "__syscall_socket", "__syscall_socketpair", "__syscall_connect", "__syscall_bind", "__syscall_listen",
  "__syscall_accept4", "__syscall_sendto", "__syscall_sendmsg", "__syscall_recvfrom", "__syscall_recvmsg",
];

const REPLACEMENTS: Record<string, Fn> = {
  // system(NULL) asks "is there a shell?": no. system(cmd) fails like a missing /bin/sh.
  _emscripten_system: (command) => (command ? -1 : 0),
  emscripten_run_script: () => undefined,
  emscripten_run_script_int: () => 0,
  emscripten_run_script_string: () => 0,
  emscripten_async_run_script: () => undefined,
  emscripten_async_load_script: () => undefined,
  // setitimer/alarm: a JS timer that never fires here (the executor never yields to its event
  // loop) but whose bookkeeping would outlive the call; the C side keeps its own in linear memory.
  _setitimer_js: () => 0,
  ...Object.fromEntries(SOCKET_SYSCALLS.map((name) => [name, () => -EACCES])),
};

/** Loading new wasm code stays possible while Pyodide boots, and is closed before the snapshot. */
const DLOPEN = ["_dlopen_js", "_emscripten_dlopen_js"];
/** Every JsProxy is made through this import; sealed, it answers "cannot" (-1). */
const JSPROXY_TYPEFLAGS = "JsProxy_compute_typeflags";

export interface ImportGate {
  /** Names of the imports that were replaced (for tests and /healthz). */
  replaced: string[];
  /**
   * From now on dlopen fails (dlerror: "unknown dlopen() error") and no JsProxy can be made
   * (the attempt raises in Python). Called once, before the snapshot.
   */
  seal(): void;
  /** Attempts to make a JsProxy after the seal (each is a Python call reaching for JS). */
  readonly refusedJsProxies: number;
}

interface GateState {
  sealed: boolean;
  refusedJsProxies: number;
}

let lastGate: ImportGate | null = null;

/** The gate of the module this process created (one interpreter per executor). */
export function importGate(): ImportGate | null {
  return lastGate;
}

export function closeImports(env: Record<string, unknown>, gate: GateState): string[] {
  const replaced: string[] = [];
  for (const [name, fn] of Object.entries(REPLACEMENTS)) {
    if (typeof env[name] !== "function") continue;
    env[name] = fn;
    replaced.push(name);
  }
  for (const name of DLOPEN) {
    const original = env[name];
    if (typeof original !== "function") continue;
    env[name] = (...args: number[]) => (gate.sealed ? 0 : (original as Fn)(...args));
    replaced.push(name);
  }
  const typeflags = env[JSPROXY_TYPEFLAGS];
  if (typeof typeflags !== "function") throw new Error(`confine: Pyodide's ${JSPROXY_TYPEFLAGS} import is missing; cannot seal its FFI`);
  env[JSPROXY_TYPEFLAGS] = (...args: unknown[]) => {
    if (!gate.sealed) return (typeflags as (...a: unknown[]) => number)(...args);
    gate.refusedJsProxies++;
    return -1;
  };
  replaced.push(JSPROXY_TYPEFLAGS);
  return replaced;
}

function growToInitialMemory(instance: WebAssembly.Instance, bytes: number): void {
  const memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) return;
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / WASM_PAGE));
}

/**
 * A `createPyodideModule` for loadPyodide's options: Pyodide's own factory, with the wasm imports
 * closed (and the same replacements on the Module object, where side modules look symbols up).
 */
export async function confinedModuleFactory(): Promise<CreateModule> {
  const real = ((await import("pyodide/pyodide.asm.mjs")) as unknown as { default: CreateModule }).default;
  const state: GateState = { sealed: false, refusedJsProxies: 0 };
  const gate: ImportGate = {
    replaced: [],
    seal: () => void (state.sealed = true),
    get refusedJsProxies() {
      return state.refusedJsProxies;
    },
  };
  lastGate = gate;
  const create: CreateModule = (settings: Settings) => {
    // Emscripten adopts the settings object as its Module: patch it in place, do not copy it.
    const mutable = settings as { instantiateWasm?: Settings["instantiateWasm"] };
    const instantiate = mutable.instantiateWasm;
    if (!instantiate) throw new Error("confine: Pyodide did not provide instantiateWasm; cannot close its imports");
    mutable.instantiateWasm = (imports, done) => {
      const env = imports.env as Record<string, unknown> | undefined;
      if (env) gate.replaced = closeImports(env, state);
      return instantiate(imports, (instance, module) => {
        // Loading a memory snapshot asks for INITIAL_MEMORY, which this build's own memory
        // does not take from the settings: grow it before the snapshot is copied in.
        growToInitialMemory(instance, (settings as { INITIAL_MEMORY?: number }).INITIAL_MEMORY ?? 0);
        return done(instance, module);
      });
    };
    return real(settings).then((module) => {
      const m = module as unknown as Record<string, unknown>;
      for (const [name, fn] of Object.entries(REPLACEMENTS)) if (`_${name}` in m) m[`_${name}`] = fn;
      return module;
    });
  };
  return create;
}
