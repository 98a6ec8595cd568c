// Loads Pyodide once per executor, captures the raw wasm instance (memory, stack pointer),
// installs the memory cap, closes the obvious doors, pre-imports the stdlib agents use, and
// leaves the interpreter ready for its post-init snapshot.
import { readFileSync } from "node:fs";
import { RUNTIME_DIR } from "../../paths/runtime-dir.ts";
import { join } from "node:path";
import { loadPyodide, type PyodideAPI } from "pyodide";
import { MemoryCap } from "./memory-cap.ts";
import { installHostDevice, type HostTransport } from "./host-device.ts";
import { CallDevices, encodeCell } from "./call-devices.ts";
import { lockDownFfi, type FfiLockdownReport } from "./ffi-lockdown.ts";
import { closeApiDoors, removeBuiltins, REMOVED_BUILTINS } from "./lockdown.ts";
import { confinedModuleFactory, importGate, type ImportGate } from "./wasm-imports.ts";

export { encodeCell };

export const PYTHON_DIR = join(RUNTIME_DIR, "python");

/** Modules imported before the snapshot, so calls that use them pay nothing to import them. */
export const PRELOADED_MODULES = [
  "json", "re", "datetime", "math", "statistics", "collections", "itertools", "functools",
  "dataclasses", "typing", "decimal", "fractions", "hashlib", "base64", "csv", "io", "textwrap",
  "random", "uuid", "sqlite3", "zoneinfo", "string", "operator", "copy", "heapq", "bisect",
  "enum", "pathlib", "time", "struct", "array", "pprint", "difflib", "html", "urllib.parse",
  "traceback", "ast", "linecache", "shlex", "fnmatch", "glob", "tempfile", "contextlib",
  "abc", "numbers", "secrets", "unicodedata", "calendar", "locale", "weakref", "types",
  "inspect", "tokenize", "gzip", "zlib", "zipfile", "tarfile", "shutil", "binascii", "hmac",
  "graphlib", "email", "email.message", "xml.etree.ElementTree", "configparser", "argparse",
  "logging", "warnings", "pickle", "queue", "sched", "cmath", "ipaddress", "codecs", "errno",
  "stat", "signal", "platform", "sysconfig", "doctest", "unittest", "asyncio",
];

export const WORKSPACE = "/workspace";

export interface BootedInterpreter {
  pyodide: PyodideAPI;
  memory: WebAssembly.Memory;
  stackPointer: WebAssembly.Global;
  memoryCap: MemoryCap;
  /**
   * The Python runner's `run()`, held as the one PyProxy left after the lockdown. It reads its
   * job from and writes its report to `calls` (device files): no value crosses as an object.
   */
  runCell: () => void;
  /** The job, output capture and report channels of the current call. */
  calls: CallDevices;
  /** The sealed wasm import gate (JsProxy creation and dlopen refused). */
  gate: ImportGate;
  ffiLockdown: FfiLockdownReport;
  /** Interrupt buffer shared with the watchdog thread: writing 2 raises KeyboardInterrupt. */
  interrupt: Int32Array;
  /** Where Python's `host` calls go (the executor sets it to its daemon round trip). */
  hostTransport: { current: HostTransport | null };
  bootMs: number;
}

type InstantiateFn = typeof WebAssembly.instantiate;

/** Wraps WebAssembly.instantiate for the duration of the load to see Pyodide's instance and imports. */
function captureInstance(memoryCap: MemoryCap): { instance: () => WebAssembly.Instance; undo: () => void } {
  const original: InstantiateFn = WebAssembly.instantiate;
  let captured: WebAssembly.Instance | undefined;
  const patched = async function (this: unknown, source: unknown, imports?: WebAssembly.Imports) {
    const env = imports?.env as Record<string, unknown> | undefined;
    if (env && typeof env.emscripten_resize_heap === "function") {
      env.emscripten_resize_heap = memoryCap.wrap(env.emscripten_resize_heap as (n: number) => number);
    }
    const result = await (original as (...a: unknown[]) => Promise<unknown>).call(WebAssembly, source, imports);
    const inst = (result as { instance?: WebAssembly.Instance }).instance ?? (result as WebAssembly.Instance);
    if (inst instanceof WebAssembly.Instance && inst.exports.__stack_pointer) captured = inst;
    return result;
  };
  (WebAssembly as { instantiate: unknown }).instantiate = patched;
  return {
    instance: () => {
      if (!captured) throw new Error("boot: did not see Pyodide's wasm instance");
      return captured;
    },
    undo: () => {
      (WebAssembly as { instantiate: unknown }).instantiate = original;
    },
  };
}

/** Pyodide through the confined module factory, with the memory cap and the instance captured. */
async function loadConfined(extra: { _makeSnapshot?: boolean; _loadSnapshot?: Uint8Array }): Promise<{ pyodide: PyodideAPI; memory: WebAssembly.Memory; stackPointer: WebAssembly.Global; memoryCap: MemoryCap }> {
  const memoryCap = new MemoryCap();
  const capture = captureInstance(memoryCap);
  let pyodide: PyodideAPI;
  try {
    pyodide = await loadPyodide({
      // No host environment leaks into Python, and Python's own streams go nowhere:
      // fd 0-2 become the call devices (call-devices.ts).
      env: { HOME: "/home/pyodide", LANG: "C.UTF-8", PYTHONHASHSEED: "0" },
      stdout: () => {},
      stderr: () => {},
      jsglobals: Object.create(null),
      checkAPIVersion: true,
      // Emscripten's argv[0] (sys.orig_argv, env `_`) would otherwise be node's script path.
      _sysExecutable: "python",
      // Pyodide's own module factory with the host-reaching wasm imports replaced (confine/).
      createPyodideModule: await confinedModuleFactory(),
      ...extra,
    } as Parameters<typeof loadPyodide>[0]);
  } finally {
    capture.undo();
  }
  const instance = capture.instance();
  const memory = instance.exports.memory as WebAssembly.Memory;
  return { pyodide, memory, stackPointer: instance.exports.__stack_pointer as WebAssembly.Global, memoryCap };
}

function preImport(pyodide: PyodideAPI): void {
  pyodide.runPython(`import importlib\nfor _m in ${JSON.stringify(PRELOADED_MODULES)}:\n    importlib.import_module(_m)\ndel _m\n`);
}

/**
 * Pyodide's memory snapshot of a fully loaded interpreter with the stdlib pre-imported: what
 * every executor boots from (loadPyodide from it is several times faster than a full load, and
 * every executor then starts from the same bytes). Taken before any of Arbor's boot steps.
 */
export async function makePyodideSnapshot(): Promise<Uint8Array> {
  const { pyodide } = await loadConfined({ _makeSnapshot: true });
  preImport(pyodide);
  return (pyodide as unknown as { makeMemorySnapshot(): Uint8Array }).makeMemorySnapshot();
}

export interface BootOptions {
  /** Boot from this Pyodide memory snapshot (makePyodideSnapshot) instead of a full load. */
  snapshot?: Uint8Array;
}

export async function bootInterpreter(options: BootOptions = {}): Promise<BootedInterpreter> {
  const started = performance.now();
  const { pyodide, memory, stackPointer, memoryCap } = await loadConfined(options.snapshot ? { _loadSnapshot: options.snapshot } : {});
  memoryCap.clampGrowth(memory);

  const gate = importGate();
  if (!gate) throw new Error("boot: Pyodide was not created through the confined module factory");
  harden(pyodide);
  const hostTransport: { current: HostTransport | null } = { current: null };
  installHostDevice(pyodide.FS as unknown as Parameters<typeof installHostDevice>[0], () => hostTransport.current);
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  pyodide.setInterruptBuffer(interrupt);
  const calls = CallDevices.install(pyodide.FS as unknown as Parameters<typeof CallDevices.install>[0], interrupt);
  pyodide.FS.mkdirTree(WORKSPACE);
  // Already imported when booting from a snapshot (then this only checks they are there).
  preImport(pyodide);
  pyodide.runPython(`import os\nos.chdir(${JSON.stringify(WORKSPACE)})\n`);
  const runCell = loadRunner(pyodide);
  // Last: from here on Python has no way to JavaScript, and JavaScript no handle into Python but
  // the runner (docs/security.md, "In the interpreter").
  const ffiLockdown = lockDownFfi(pyodide, gate, PYTHON_DIR, new Set([runCell]));
  return { pyodide, memory, stackPointer, memoryCap, runCell, calls, gate, ffiLockdown, interrupt, hostTransport, bootMs: performance.now() - started };
}

/** The in-process layer: it narrows what Python can name; the OS layer is what closes it. */
function harden(pyodide: PyodideAPI): void {
  for (const name of ["js", "pyodide_js"]) {
    try {
      pyodide.unregisterJsModule(name);
    } catch {
      // not registered in this build
    }
  }
  pyodide.runPython(
    [
      "import sys",
      // JS modules and their submodules (pyodide_js._api is Pyodide's whole JS API).
      "for _name in [n for n in sys.modules if n.split('.')[0] in ('js', 'pyodide_js')]:",
      "    del sys.modules[_name]",
      "_name = None",
      "del _name",
      // Host paths are not the sandbox's business.
      "sys.executable = ''",
      // JS objects Pyodide leaves reachable from Python: drop them before the snapshot.
      "import pyodide.webloop, pyodide._package_loader",
      "pyodide.webloop.scheduleCallback = None",
      "pyodide._package_loader.loadedPackages = None",
      // The host program's path (Emscripten sets `_` to node's script).
      "import os",
      "os.environ.pop('_', None)",
    ].join("\n"),
  );
  // Below Python's reach: the builtin table, the API's host doors, and new wasm code (dlopen).
  const module = (pyodide as unknown as { _module: Parameters<typeof removeBuiltins>[0] })._module;
  if (removeBuiltins(module, REMOVED_BUILTINS) === 0) throw new Error("harden: builtin table not found");
  closeApiDoors(pyodide as unknown as Parameters<typeof closeApiDoors>[0]);
  pyodide.runPython(
    [
      "import sys, _imp",
      `_gone = ${JSON.stringify(REMOVED_BUILTINS)}`,
      "for _name in [n for n in sys.modules if n in _gone or n == 'ctypes' or n.startswith('ctypes.')]:",
      "    del sys.modules[_name]",
      "sys.builtin_module_names = tuple(n for n in sys.builtin_module_names if n not in _gone)",
      "assert not any(_imp.is_builtin(n) for n in _gone), 'harden: a removed builtin is still importable'",
      "_name = None\ndel _gone, _name",
    ].join("\n"),
  );
}

function loadRunner(pyodide: PyodideAPI): () => void {
  for (const name of ["arbor_runner.py", "arbor_asyncio.py", "host.py"]) {
    pyodide.FS.writeFile(`/lib/python3.14/site-packages/${name}`, readFileSync(join(PYTHON_DIR, name), "utf8"));
  }
  return pyodide.runPython("import host\nimport arbor_runner\narbor_runner.run") as unknown as () => void;
}

/** Removes every name from __main__ but its module dunders (a comprehension's own names never land in it). */
const CLEAR_MAIN = "[globals().pop(n) for n in [n for n in globals() if not (n.startswith('__') and n.endswith('__'))]]";

/**
 * Runs one cell during boot (warm-up, heap settle); a cell that does not end "ok" fails the boot.
 * Boot cells run in __main__, the module every call's cell runs in, so each is followed by one
 * that empties it again: a call finds __main__ as a fresh interpreter has it.
 */
export function runBootCell(booted: BootedInterpreter, code: string, step: string): void {
  runCellOrFail(booted, code, step);
  runCellOrFail(booted, CLEAR_MAIN, step);
}

function runCellOrFail(booted: BootedInterpreter, code: string, step: string): void {
  booted.calls.begin(encodeCell({ code, seed: 0 }), new Uint8Array(0), 1 << 20);
  booted.runCell();
  const seen = booted.calls.end();
  if (!seen.report || (JSON.parse(seen.report) as { status?: string }).status !== "ok") {
    throw new Error(`boot: ${step} cell failed: ${seen.report ?? "no report"} ${seen.stderr}`);
  }
}
