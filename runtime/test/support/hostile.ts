// Hostile calls, grouped by what they attack, each with what must hold afterwards for that call.
// The runtime tests run them against one executor and check, after every one, that nothing of
// the FFI became reachable, that the state outside linear memory is the snapshot's, and that
// the next call is fresh; the daemon's fuzz test mixes them with normal calls from two tenants.
import assert from "node:assert/strict";
import type { Job, Outcome } from "../../src/protocol/messages.ts";

export interface HostileCase {
  group: "ffi" | "runner" | "fs" | "crash" | "host-detail";
  name: string;
  code: string;
  job?: Partial<Job>;
  /** What must hold for this call's own answer (beyond: never a lost executor). */
  expect(o: Outcome): void;
}

const notCrashed = (o: Outcome) => assert.notEqual(o.status, "crashed", JSON.stringify(o.error));
/** The cell broke the runner's report: the executor says so, and nothing crashed. */
const reportLost = (o: Outcome) => {
  notCrashed(o);
  assert.equal(o.error?.type, "RunnerError");
};

export const HOSTILE: HostileCase[] = [
  // --- the FFI: every way Python used to reach Pyodide's JS API ---------------------------------
  {
    group: "ffi",
    name: "the import-hook loaders hold no JsProxy (the published exploit)",
    code: "import gc\ngc.unfreeze()\n[(type(l).__name__, sorted(vars(l))) for l in gc.get_objects() if type(l).__name__ in ('JsLoader', 'JsFinder') and vars(l)]",
    expect: (o) => assert.equal(o.result, "[]", JSON.stringify(o.error)),
  },
  {
    group: "ffi",
    name: "from pyodide.ffi import to_js",
    code: "from pyodide.ffi import to_js\nto_js({}).constructor",
    expect: (o) => assert.equal(o.error?.type, "ModuleNotFoundError"),
  },
  { group: "ffi", name: "import js", code: "import js\njs.process", expect: (o) => assert.equal(o.error?.type, "ModuleNotFoundError") },
  { group: "ffi", name: "import pyodide_js", code: "import pyodide_js\npyodide_js._module", expect: (o) => assert.equal(o.error?.type, "ModuleNotFoundError") },
  {
    group: "ffi",
    name: "re-create the _pyodide_core builtin from CPython's copy of it",
    code: "import _imp, importlib.machinery as m\ncore = _imp.create_builtin(m.ModuleSpec('_pyodide_core', None))\nsorted(k for k in vars(core) if not k.startswith('__'))",
    expect: (o) => assert.ok(o.status === "error" || o.result === "[]", `got ${o.result} ${JSON.stringify(o.error)}`),
  },
  {
    group: "ffi",
    name: "every FFI type found through __subclasses__, called",
    code: [
      "out = []",
      "def walk(t, seen=set()):",
      "    for s in type.__subclasses__(t):",
      "        if s not in seen:",
      "            seen.add(s); walk(s)",
      "    return seen",
      "for t in walk(object):",
      "    if 'Js' in t.__name__ or (t.__module__ or '').startswith(('pyodide', '_pyodide')):",
      "        try:",
      "            r = t('Error', 'x')",
      "            out.append((t.__name__, type(r).__name__))",
      "        except BaseException as e:",
      "            out.append((t.__name__, type(e).__name__))",
      "[x for x in out if 'JsProxy' in x[1] or 'JsException' in x[1]]",
    ].join("\n"),
    expect: (o) => assert.equal(o.result, "[]", JSON.stringify(o.error)),
  },
  {
    group: "ffi",
    name: "no finder of Pyodide's left in sys.meta_path",
    code: "import sys\n[repr(f) for f in sys.meta_path if 'pyodide' in repr(f).lower()]",
    expect: (o) => assert.equal(o.result, "[]"),
  },
  // --- the runner: a cell rewriting the report of its own outcome --------------------------------
  {
    group: "runner",
    name: "forge a crashed report through the runner's globals",
    code: "import sys\ng = sys._getframe(1).f_globals\ng['_dumps'] = lambda *a, **k: '{\"status\": \"crashed\", \"result\": null, \"error\": null}'\nprint('forged')",
    expect: (o) => {
      reportLost(o);
      assert.equal(o.status, "error");
      assert.equal(o.stdout, "forged\n", "output is observed, not reported");
    },
  },
  {
    group: "runner",
    name: "forge a huge result past max_output_bytes",
    code: "import sys, json\ng = sys._getframe(1).f_globals\ng['_dumps'] = lambda *a, **k: json.dumps({'status': 'ok', 'result': 'x' * 3000, 'error': None})\nNone",
    job: { max_output_bytes: 1000 },
    expect: (o) => {
      notCrashed(o);
      assert.ok(Buffer.byteLength(o.result ?? "") <= 1000, `result of ${Buffer.byteLength(o.result ?? "")} bytes`);
      assert.equal(o.status, "output_limit");
    },
  },
  {
    group: "runner",
    name: "20 MiB written straight to fd 1 under max_output_bytes=1000",
    code: "import os\nfor _ in range(20):\n    os.write(1, b'y' * 2**20)",
    job: { max_output_bytes: 1000 },
    expect: (o) => {
      assert.equal(o.status, "output_limit");
      assert.ok(Buffer.byteLength(o.stdout) <= 1000);
      assert.equal(o.truncated, true);
    },
  },
  {
    group: "runner",
    name: "keep printing past the cap, swallowing the interrupt",
    code: "while True:\n    try:\n        print('z' * 1000)\n    except BaseException:\n        pass",
    job: { max_output_bytes: 5000, timeout_ms: 400 },
    expect: (o) => {
      assert.equal(o.status, "output_limit");
      assert.ok(Buffer.byteLength(o.stdout) + Buffer.byteLength(o.stderr) <= 5000);
    },
  },
  {
    group: "runner",
    name: "break the runner's report channel",
    code: "import sys\nsys._getframe(1).f_globals['_pwrite'] = None\n1",
    expect: reportLost,
  },
  {
    // The runner keeps the call device open from boot: closing that fd loses this call's report
    // only; the restore puts the stream back for the next call.
    group: "runner",
    name: "close the call device's fd the runner keeps",
    code: "import os, sys\nos.close(sys._getframe(1).f_globals['_CALL_FD'])\n1",
    expect: reportLost,
  },
  {
    group: "runner",
    name: "dup2 a read-only file over the call device's fd",
    code: "import os, sys\nopen('ro.txt', 'w').write('x')\nos.dup2(os.open('ro.txt', os.O_RDONLY), sys._getframe(1).f_globals['_CALL_FD'])\n1",
    expect: reportLost,
  },
  {
    group: "runner",
    name: "dup2 a pipe over the call device's fd, then read the job through it",
    code: "import os, sys\nfd = sys._getframe(1).f_globals['_CALL_FD']\njob = os.pread(fd, 1 << 16, 0)\nr, w = os.pipe()\nos.dup2(w, fd)\nprint(len(job) > 0)",
    expect: (o) => {
      reportLost(o);
      assert.equal(o.stdout, "True\n", "a cell may read its own job");
    },
  },
  {
    group: "runner",
    name: "report ok by hand, then hit the memory limit",
    code: "open('/dev/arbor_call', 'wb').write(b'{\"status\": \"ok\", \"result\": \"1\", \"error\": null}')\nx = bytearray(400 * 2**20)",
    job: { memory_mb: 128 },
    expect: (o) => assert.equal(o.status, "memory_limit"),
  },
  { group: "runner", name: "a raised MemoryError is an error, not a limit", code: "raise MemoryError('mine')", expect: (o) => assert.equal(o.status, "error") },
  { group: "runner", name: "a raised KeyboardInterrupt is an error, not a timeout", code: "raise KeyboardInterrupt", expect: (o) => assert.equal(o.status, "error") },
  // --- the filesystem and its counters, outside linear memory ------------------------------------
  {
    group: "fs",
    name: "make many inodes, pipes and sockets",
    code: "import os, socket\nfor i in range(300):\n    open(f'/tmp/f{i}', 'w').close()\nfor i in range(20):\n    os.pipe()\ntry:\n    socket.socket()\nexcept OSError:\n    pass\nos.stat('/tmp/f299').st_ino",
    expect: (o) => assert.equal(o.status, "ok", JSON.stringify(o.error)),
  },
  {
    group: "fs",
    name: "close and replace fd 0, 1 and 2",
    code: "import os\nr, w = os.pipe()\nos.dup2(w, 1)\nos.close(0)\nos.close(2)\nprint('into the pipe')",
    expect: (o) => notCrashed(o),
  },
  {
    group: "fs",
    name: "chmod and rename the sandbox's own tree",
    code: "import os\nos.chmod('/workspace', 0)\nos.rename('/tmp', '/tmp2')\nos.symlink('/lib', '/workspace2')",
    expect: (o) => notCrashed(o),
  },
  // --- crashes: recovered in place, paid by the caller ------------------------------------------
  { group: "crash", name: "os.abort()", code: "import os\nos.abort()", expect: (o) => assert.equal(o.status, "crashed") },
  {
    group: "crash",
    name: "deep recursion with the limit lifted",
    code: "import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1)\nf(0)",
    job: { timeout_ms: 3000 },
    expect: () => {},
  },
  {
    group: "crash",
    name: "nested brackets for the JSON parser (C recursion)",
    code: "import json\njson.loads('[' * 200000 + ']' * 200000)",
    // CPython's C recursion guard, or the wasm stack running out first: a trap, recovered in place.
    expect: (o) => assert.ok(o.error?.type === "RecursionError" || o.status === "crashed", JSON.stringify(o.error)),
  },
  { group: "crash", name: "os._exit(3)", code: "import os\nos._exit(3)", expect: () => {} },
  {
    group: "crash",
    name: "memory keeps growing until V8 stops the call (mid-growth, as likely as not)",
    code: "l = []\nwhile True:\n    try:\n        l.append(bytearray(4 * 2**20))\n    except BaseException:\n        pass",
    // Under the growth past which an executor retires rather than keep serving (512 MiB over the
    // snapshot, executor/main.ts): with 1 GiB, a host fast enough to pass that before the deadline
    // retired the executor this case expects to recover in place. Retiring: limits.test.ts.
    job: { timeout_ms: 700, memory_mb: 512 },
    expect: (o) => assert.ok(["timeout", "memory_limit"].includes(o.status), o.status),
  },
  { group: "crash", name: "ctypes is gone", code: "import ctypes", expect: (o) => assert.equal(o.error?.type, "ModuleNotFoundError") },
  // --- host detail: nothing in an answer says where Arbor lives ---------------------------------
  {
    group: "host-detail",
    name: "interpreter paths and environment",
    code: "import sys, os\nprint(sys.executable, sys.argv, sys.orig_argv, dict(os.environ), sys.path, os.getcwd(), sys.prefix)",
    expect: (o) => assert.equal(o.status, "ok"),
  },
  {
    group: "host-detail",
    name: "a traceback through the stdlib",
    code: "import json\njson.loads('{')",
    expect: (o) => assert.equal(o.error?.type, "JSONDecodeError"),
  },
  { group: "host-detail", name: "the stack, printed", code: "import traceback\ntraceback.print_stack()", expect: (o) => assert.equal(o.status, "ok") },
];

/** Normal programs with a known fresh answer (the fuzz test's control group). */
export const NORMAL: Array<{ code: string; seed: number }> = [
  { code: "print(sum(range(10)))\n[i * i for i in range(5)]", seed: 1 },
  { code: "import random\nprint(random.random())\nrandom.randint(1, 100)", seed: 7 },
  { code: "import os\nprint(sorted(os.listdir('/workspace')), sorted(os.listdir('/tmp')))\nopen('/workspace/o.txt', 'w').write('x')", seed: 2 },
  { code: "import sys\nprint(sys.getrecursionlimit(), len(sys.modules) > 50, 'leak' in dir())\nimport os; os.stat('/workspace').st_mode", seed: 3 },
  { code: "import json, decimal\njson.dumps({'d': str(decimal.Decimal('1.10') * 3)})", seed: 4 },
  { code: "x = 5\ntry:\n    leaked\nexcept NameError as e:\n    print('fresh')\nglobals().get('SECRET')", seed: 5 },
  { code: "import os\nr, w = os.pipe()\n(os.readlink(f'/proc/self/fd/{r}'), os.fstat(r).st_ino, os.statvfs('/').f_ffree)", seed: 6 },
  { code: "import sys\ndata = sys.stdin.read()\nprint(data.upper())", seed: 8 },
];
