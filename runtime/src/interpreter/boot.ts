// Loads Pyodide once per executor, captures the raw wasm instance (memory, stack pointer),
// installs the memory cap, closes the obvious doors, pre-imports the stdlib agents use, and
// leaves the interpreter ready for its post-init snapshot.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide, type PyodideAPI } from "pyodide";
import { MemoryCap } from "./memory-cap.ts";
import { installHostDevice, type HostTransport } from "./host-device.ts";
import { closeApiDoors, removeBuiltins, REMOVED_BUILTINS } from "./lockdown.ts";
import { confinedModuleFactory, importGate } from "../confine/wasm-imports.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const PYTHON_DIR = join(here, "..", "..", "python");

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
  /** The Python runner's `run(code, options_json) -> str`, held as a PyProxy made before the snapshot. */
  runCell: (code: string, optionsJson: string) => string;
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

export async function bootInterpreter(): Promise<BootedInterpreter> {
  const started = performance.now();
  const memoryCap = new MemoryCap();
  const capture = captureInstance(memoryCap);
  let pyodide: PyodideAPI;
  try {
    pyodide = await loadPyodide({
      // No host environment leaks into Python, and Python's own streams go nowhere:
      // the runner captures stdout/stderr itself per call.
      env: { HOME: "/home/pyodide", LANG: "C.UTF-8", PYTHONHASHSEED: "0" },
      stdout: () => {},
      stderr: () => {},
      jsglobals: Object.create(null),
      checkAPIVersion: true,
      // Emscripten's argv[0] (sys.orig_argv, env `_`) would otherwise be node's script path.
      _sysExecutable: "python",
      // Pyodide's own module factory with the host-reaching wasm imports replaced (confine/).
      createPyodideModule: await confinedModuleFactory(),
    });
  } finally {
    capture.undo();
  }
  const instance = capture.instance();
  const memory = instance.exports.memory as WebAssembly.Memory;
  const stackPointer = instance.exports.__stack_pointer as WebAssembly.Global;
  memoryCap.clampGrowth(memory);

  harden(pyodide);
  const hostTransport: { current: HostTransport | null } = { current: null };
  installHostDevice(pyodide.FS as unknown as Parameters<typeof installHostDevice>[0], () => hostTransport.current);
  pyodide.FS.mkdirTree(WORKSPACE);
  pyodide.runPython(
    `import importlib, os, sys\n` +
      `for _m in ${JSON.stringify(PRELOADED_MODULES)}:\n` +
      `    importlib.import_module(_m)\n` +
      `del _m\n` +
      `os.chdir(${JSON.stringify(WORKSPACE)})\n`,
  );
  const runCell = loadRunner(pyodide);
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  pyodide.setInterruptBuffer(interrupt);
  return { pyodide, memory, stackPointer, memoryCap, runCell, interrupt, hostTransport, bootMs: performance.now() - started };
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
  const gate = importGate();
  if (!gate) throw new Error("harden: Pyodide was not created through the confined module factory");
  gate.closeLoading();
}

function loadRunner(pyodide: PyodideAPI): (code: string, optionsJson: string) => string {
  for (const name of ["arbor_runner.py", "host.py"]) {
    pyodide.FS.writeFile(`/lib/python3.14/site-packages/${name}`, readFileSync(join(PYTHON_DIR, name), "utf8"));
  }
  const run = pyodide.runPython("import host\nimport arbor_runner\narbor_runner.run") as unknown as
    (code: string, optionsJson: string) => string;
  return run;
}
