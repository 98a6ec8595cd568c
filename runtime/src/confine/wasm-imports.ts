// The JS functions Pyodide's wasm module imports are its only way out of linear memory. A few of
// them reach the host: a shell (os.system → __emscripten_system → child_process), eval
// (emscripten_run_script), sockets (Emscripten's socket syscalls → node:net / WebSocket) and the
// dynamic loader (a .so written by Python becomes a new wasm module linked to every import).
// They are replaced before instantiation, so neither Python, nor ctypes, nor a forged function
// pointer can call the originals: the replacement is what the wasm module is linked against.
// (Python-level blocks can be undone from Python; a wasm import cannot.)
import type { loadPyodide } from "pyodide";

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
  ...Object.fromEntries(SOCKET_SYSCALLS.map((name) => [name, () => -EACCES])),
};

/** Loading new wasm code stays possible while Pyodide boots, and is closed before the snapshot. */
const DLOPEN = ["_dlopen_js", "_emscripten_dlopen_js"];

export interface ImportGate {
  /** Names of the imports that were replaced (for tests and /healthz). */
  replaced: string[];
  /** From now on dlopen fails (dlerror: "unknown dlopen() error"). */
  closeLoading(): void;
}

let lastGate: ImportGate | null = null;

/** The gate of the module this process created (one interpreter per executor). */
export function importGate(): ImportGate | null {
  return lastGate;
}

export function closeImports(env: Record<string, unknown>, gate: { loading: boolean }): string[] {
  const replaced: string[] = [];
  for (const [name, fn] of Object.entries(REPLACEMENTS)) {
    if (typeof env[name] !== "function") continue;
    env[name] = fn;
    replaced.push(name);
  }
  for (const name of DLOPEN) {
    const original = env[name];
    if (typeof original !== "function") continue;
    env[name] = (...args: number[]) => (gate.loading ? (original as Fn)(...args) : 0);
    replaced.push(name);
  }
  return replaced;
}

/**
 * A `createPyodideModule` for loadPyodide's options: Pyodide's own factory, with the wasm imports
 * closed (and the same replacements on the Module object, where side modules look symbols up).
 */
export async function confinedModuleFactory(): Promise<CreateModule> {
  const real = ((await import("pyodide/pyodide.asm.mjs")) as unknown as { default: CreateModule }).default;
  const state = { loading: true };
  const gate: ImportGate = { replaced: [], closeLoading: () => void (state.loading = false) };
  lastGate = gate;
  const create: CreateModule = (settings: Settings) => {
    // Emscripten adopts the settings object as its Module: patch it in place, do not copy it.
    const mutable = settings as { instantiateWasm?: Settings["instantiateWasm"] };
    const instantiate = mutable.instantiateWasm;
    if (!instantiate) throw new Error("confine: Pyodide did not provide instantiateWasm; cannot close its imports");
    mutable.instantiateWasm = (imports, done) => {
      const env = imports.env as Record<string, unknown> | undefined;
      if (env) gate.replaced = closeImports(env, state);
      return instantiate(imports, done);
    };
    return real(settings).then((module) => {
      const m = module as unknown as Record<string, unknown>;
      for (const [name, fn] of Object.entries(REPLACEMENTS)) if (`_${name}` in m) m[`_${name}`] = fn;
      return module;
    });
  };
  return create;
}
