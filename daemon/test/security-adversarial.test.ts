// Adversarial suite: Python snippets that try every door out of the sandbox (escapes to JS and
// the host, network, host files, signals, work that outlives the call, crashes, exhaustion)
// against a real daemon with every confinement layer this machine has. Each case states its
// safe outcome; after each, host-side checks: nothing appeared in a world-writable sentinel
// directory, a local TCP listener received no connection, and the daemon still answers.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

type Body = Record<string, any>;

interface Case {
  name: string;
  code: string;
  extra?: Record<string, unknown>;
  expect: (body: Body) => void;
}

const PRINTS_SAFE = (body: Body) => {
  assert.equal(body.status, "ok", JSON.stringify(body.error));
  assert.equal(body.result, "'safe'", `${body.result}`);
};
const SAFE_OR_REFUSED = (body: Body) => assert.ok(body.result === "'safe'" || body.status === "error", `${body.status}: ${body.result}`);
const FAILS_WITH = (...types: string[]) => (body: Body) => {
  assert.equal(body.status, "error", `expected an error, got ${body.status}: ${body.result}`);
  assert.ok(types.includes(body.error.type), `error type ${body.error.type}: ${body.error.message}`);
};

describe("adversarial: no Python snippet reaches the host except through the bridge", () => {
  let arbor: Arbor;
  let base: string;
  let sentinel: string;
  let listener: Server;
  let port = 0;
  let connections = 0;

  before(async () => {
    sentinel = mkdtempSync(join(tmpdir(), "arbor-sentinel-"));
    chmodSync(sentinel, 0o777); // only the confinement, not file permissions, keeps executors out
    listener = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
    port = (listener.address() as { port: number }).port;
    const config = loadConfig({ argv: [], env: { ARBOR_WORKERS: "1" }, readFile: () => "{}" });
    arbor = await createArbor({ config });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await arbor.close();
    listener.close();
  });

  async function evalCode(code: string, extra: Record<string, unknown> = {}): Promise<Body> {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, timeout_ms: 5000, ...extra }),
    });
    assert.equal(res.statusCode, 200);
    return (await res.body.json()) as Body;
  }

  async function hostChecks(name: string): Promise<void> {
    assert.deepEqual(readdirSync(sentinel), [], `${name}: something was written to the host`);
    assert.equal(connections, 0, `${name}: the local listener received a connection`);
    const health = await request(`${base}/healthz`);
    await health.body.dump();
    assert.equal(health.statusCode, 200, `${name}: the daemon stopped answering`);
  }

  const target = () => join(sentinel, "pwned");
  const cases = (): Case[] => [
    // --- the host's shell and processes
    { name: "os.system runs no shell", code: `import os\nr = os.system("touch ${target()}")\n'safe' if r != 0 else 'ran'`, expect: PRINTS_SAFE },
    { name: "os.popen runs no shell", code: `import os\ntry:\n    out = os.popen("id; touch ${target()}").read()\nexcept Exception:\n    out = ''\n'safe' if 'uid=' not in out else out`, expect: PRINTS_SAFE },
    { name: "subprocess.run fails", code: `import subprocess\nsubprocess.run(["touch", "${target()}"])`, expect: FAILS_WITH("OSError", "PermissionError", "RuntimeError", "FileNotFoundError", "BlockingIOError", "NotImplementedError") },
    { name: "os.fork fails", code: "import os\nos.fork()", expect: FAILS_WITH("OSError", "BlockingIOError", "AttributeError", "PermissionError") },
    { name: "os.execv fails", code: `import os\nos.execv("/bin/sh", ["sh", "-c", "touch ${target()}"])`, expect: FAILS_WITH("OSError", "FileNotFoundError", "AttributeError", "PermissionError") },
    { name: "a fork loop fails at once", code: "import os\nfor _ in range(100):\n    os.fork()", expect: FAILS_WITH("OSError", "BlockingIOError", "AttributeError", "PermissionError") },
    { name: "os.posix_spawn is unavailable", code: `import os\nos.posix_spawn("/bin/sh", ["sh"], {})`, expect: FAILS_WITH("OSError", "AttributeError", "FileNotFoundError", "PermissionError") },
    // --- ctypes and CPython internals
    { name: "ctypes is not importable", code: "import ctypes", expect: FAILS_WITH("ModuleNotFoundError") },
    { name: "_imp.create_builtin cannot re-create _ctypes", code: "import _imp, importlib.machinery as m\nmod = _imp.create_builtin(m.ModuleSpec('_ctypes', None))\n'safe' if mod is None else repr(mod)", expect: PRINTS_SAFE },
    { name: "_testcapi is gone", code: "import _testcapi", expect: FAILS_WITH("ModuleNotFoundError") },
    { name: "no removed builtin is importable by any spelling", code: "import _imp\n'safe' if not any(_imp.is_builtin(n) for n in ('_ctypes', '_testcapi', '_testinternalcapi', '_remote_debugging')) else 'found'", expect: PRINTS_SAFE },
    // --- the executor's JavaScript
    { name: "import js fails", code: "import js", expect: FAILS_WITH("ModuleNotFoundError") },
    { name: "import pyodide_js fails", code: "import pyodide_js", expect: FAILS_WITH("ModuleNotFoundError") },
    { name: "pyodide.code.run_js fails", code: "import pyodide.code\npyodide.code.run_js('process.exit(3)')", expect: FAILS_WITH("ModuleNotFoundError", "ImportError", "JsException", "NameError") },
    // The FFI these used is gone (runtime/test/js-boundary.test.ts walks the whole heap for it).
    { name: "no JS object to rewrite a built-in prototype through", code: "from pyodide.ffi import to_js\nto_js({}).constructor.prototype.arbor = 1", expect: FAILS_WITH("ModuleNotFoundError") },
    { name: "no JS object to reach the Function constructor through", code: "from pyodide.ffi import to_js\nto_js({}).constructor.constructor('return process')()", expect: FAILS_WITH("ModuleNotFoundError") },
    { name: "the import finder holds no JS module", code: "import sys\nmods = [k for f in sys.meta_path for k in getattr(f, 'jsproxies', {})]\n'safe' if not mods else repr(mods)", expect: PRINTS_SAFE },
    { name: "a __subclasses__ walk finds no JS handle to the API", code: "seen = []\nfor c in object.__subclasses__():\n    for v in list(vars(c).values()):\n        n = type(v).__name__\n        if 'JsProxy' in n and hasattr(v, 'loadPackage'):\n            seen.append(c.__name__)\n'safe' if not seen else repr(seen)", expect: PRINTS_SAFE },
    { name: "gc.get_objects finds no JS handle to the API or to process", code: "import gc\ngc.unfreeze()\nbad = []\nfor o in gc.get_objects():\n    try:\n        if type(o).__name__.startswith('Js') and (hasattr(o, 'loadPackage') or hasattr(o, 'mountNodeFS') or hasattr(o, 'pid')):\n            bad.append(type(o).__name__)\n    except Exception:\n        pass\n'safe' if not bad else repr(bad)", expect: PRINTS_SAFE },
    { name: "function __globals__ lead to no JS module", code: "import asyncio, sys\ng = asyncio.new_event_loop().call_later.__func__.__globals__\n'safe' if 'js' not in sys.modules and 'pyodide_js' not in sys.modules and not any(type(v).__name__.startswith('JsProxy') and hasattr(v, 'loadPackage') for v in g.values()) else 'found'", expect: PRINTS_SAFE },
    { name: "a side module written by Python cannot be loaded (dlopen closed)", code: "import sys, importlib\nopen('/tmp/evil.cpython-314-wasm32-emscripten.so', 'wb').write(b'\\x00asm\\x01\\x00\\x00\\x00')\nsys.path.insert(0, '/tmp')\nimport evil", expect: FAILS_WITH("ImportError", "OSError", "ModuleNotFoundError") },
    { name: "micropip is not available", code: "import micropip", expect: FAILS_WITH("ModuleNotFoundError") },
    { name: "pyodide.http cannot fetch", code: `import pyodide.http\npyodide.http.open_url("http://127.0.0.1:${port}/")`, expect: FAILS_WITH("ModuleNotFoundError", "ImportError", "OSError", "AttributeError", "NameError") },
    // --- network
    { name: "socket.create_connection is refused", code: `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1)`, expect: FAILS_WITH("PermissionError", "OSError") },
    { name: "a raw socket connect is refused", code: `import socket\ns = socket.socket()\ns.connect(("127.0.0.1", ${port}))`, expect: FAILS_WITH("PermissionError", "OSError") },
    { name: "UDP sendto is refused", code: `import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", ${port}))`, expect: FAILS_WITH("PermissionError", "OSError") },
    { name: "urllib cannot connect", code: `import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${port}/", timeout=1)`, expect: FAILS_WITH("URLError", "PermissionError", "OSError") },
    { name: "http.client cannot connect", code: `import http.client\nc = http.client.HTTPConnection("127.0.0.1", ${port}, timeout=1)\nc.request("GET", "/")`, expect: FAILS_WITH("PermissionError", "OSError") },
    { name: "a server socket cannot listen", code: "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()", expect: FAILS_WITH("PermissionError", "OSError") },
    // --- host files
    { name: "host /etc/passwd is not visible", code: "open('/etc/passwd').read()", expect: FAILS_WITH("FileNotFoundError") },
    { name: "the repository is not visible", code: `open(${JSON.stringify(join(process.cwd(), "package.json"))}).read()`, expect: FAILS_WITH("FileNotFoundError") },
    { name: "the filesystem root is the sandbox's", code: "import os\nroots = set(os.listdir('/'))\n'safe' if not roots & {'usr', 'etc', 'work', 'root', 'bin'} else repr(roots)", expect: PRINTS_SAFE },
    { name: "writing to a host path lands nowhere on the host", code: `import os\nos.makedirs(${JSON.stringify(sentinel)}, exist_ok=True)\nopen(${JSON.stringify(target())}, 'w').write('x')\n'safe'`, expect: PRINTS_SAFE },
    { name: "no host path in the environment or sys", code: "import os, sys\nblob = repr(dict(os.environ)) + repr(sys.argv) + repr(sys.executable) + repr(getattr(sys, 'orig_argv', ''))\n'safe' if '/work' not in blob and '/usr/bin' not in blob and '_' not in os.environ and sys.executable == '' else blob", expect: PRINTS_SAFE },
    // --- signals
    { name: "os.kill of the daemon fails", code: `import os\nos.kill(${process.pid}, 9)`, expect: FAILS_WITH("OSError", "ProcessLookupError", "PermissionError", "AttributeError") },
    { name: "os.kill of pid 1 fails", code: "import os\nos.kill(1, 9)", expect: FAILS_WITH("OSError", "ProcessLookupError", "PermissionError", "AttributeError") },
    { name: "os.killpg fails", code: "import os\nos.killpg(0, 9)", expect: FAILS_WITH("OSError", "ProcessLookupError", "PermissionError", "AttributeError") },
    // --- work that outlives the call
    { name: "a thread cannot start", code: "import threading\nthreading.Thread(target=print).start()", expect: FAILS_WITH("RuntimeError", "OSError") },
    { name: "call_later cannot schedule work past the call", code: "import asyncio\nasyncio.get_event_loop().call_later(0, print, 'LATE')\n'safe'", expect: SAFE_OR_REFUSED },
    { name: "atexit handlers do not run", code: "import atexit\natexit.register(print, 'ATEXIT')\n'safe'", expect: PRINTS_SAFE },
    { name: "a weakref finalizer does not outlive the call", code: "import weakref, gc\nclass K: pass\nk = K()\nweakref.finalize(k, print, 'FINALIZED')\n'safe'", expect: PRINTS_SAFE },
    // --- the bridge itself
    { name: "the host device without a capability is refused", code: "import host\nhost.shell(['touch', 'x'])", expect: FAILS_WITH("PermissionError") },
    { name: "garbage written to the host device is refused", code: "f = open('/dev/arbor_host', 'r+b', buffering=0)\nf.write(b'\\xff' * 1000)\nf.read(100)", expect: (b) => assert.ok(b.status === "ok" || b.status === "error", b.status) },
    // --- crashes and exhaustion
    { name: "a fatal interpreter error is contained", code: "import _pyodide_core\n_pyodide_core.trigger_fatal_error()", expect: (b) => assert.ok(["crashed", "error"].includes(b.status), b.status) },
    { name: "unbounded recursion is contained", code: "import sys\nsys.setrecursionlimit(10**7)\ndef f(n): return f(n + 1)\nf(0)", expect: (b) => assert.ok(["crashed", "error", "memory_limit", "timeout"].includes(b.status), b.status) },
    { name: "memory exhaustion stops at the cap", code: "x = bytearray(3 * 1024**3)", extra: { memory_mb: 256 }, expect: (b) => assert.ok(["memory_limit", "error"].includes(b.status), b.status) },
    { name: "a busy loop stops at the deadline", code: "while True:\n    pass", extra: { timeout_ms: 300 }, expect: (b) => assert.equal(b.status, "timeout") },
    { name: "an output flood stops at the cap", code: "print('x' * 10_000_000)", extra: { max_output_bytes: 1024 }, expect: (b) => assert.equal(b.status, "output_limit") },
    // Contained either way: the fd table runs out (OSError, caught: 'safe'), or the file objects
    // reach the memory cap first (the executor saw the cap: memory_limit, whatever the code caught).
    { name: "file descriptor exhaustion stays inside", code: "fs = []\ntry:\n    for i in range(100000):\n        fs.append(open('/tmp/f', 'w'))\nexcept (OSError, MemoryError):\n    pass\n'safe'", expect: (b) => (b.status === "memory_limit" ? undefined : PRINTS_SAFE(b)) },
  ];

  test("at least 40 attempts, each with its safe outcome and the host untouched", async () => {
    const all = cases();
    assert.ok(all.length >= 40, `${all.length} cases`);
    for (const c of all) {
      const body = await evalCode(c.code, c.extra);
      try {
        c.expect(body);
      } catch (e) {
        throw new Error(`${c.name}: ${(e as Error).message}`);
      }
      await hostChecks(c.name);
    }
  });

  test("nothing scheduled by an earlier call ran later, and the next call is clean", async () => {
    const body = await evalCode("import os\nprint('clean')\n'safe' if not os.listdir('/workspace') else 'dirty'");
    assert.equal(body.stdout, "clean\n");
    assert.equal(body.result, "'safe'");
    for (const word of ["LATE", "ATEXIT", "FINALIZED"]) assert.ok(!body.stdout.includes(word));
    await hostChecks("after the suite");
  });

  test("/healthz: every OS layer this machine supports is in force, and every in-process layer the executors report", async () => {
    const res = await request(`${base}/healthz`);
    const body = (await res.body.json()) as Body;
    const layers = body.security.layers as Record<string, { active: boolean; detail: string }>;
    const supported = body.security.supported as string[];
    assert.ok(supported.includes("code_generation") && supported.includes("empty_environment"), `supported: ${supported}`);
    for (const name of supported) assert.equal(layers[name]?.active, true, `${name}: ${layers[name]?.detail}`);
    // Not what the code intends: what the executor said it did at boot (ExecutorInfo.lockdown).
    for (const name of ["wasm_imports", "builtins_removed", "js_modules", "api_doors"]) assert.equal(layers[name]?.active, true, `${name}: ${layers[name]?.detail}`);
    assert.equal(body.security.confined, body.security.inactive.length === 0);
  });
});
