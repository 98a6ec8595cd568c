// Nothing of one call is visible to the next: call A plants secrets everywhere it can reach
// (globals, builtins, sys.modules, stdlib monkeypatches, files, fds, cwd, environment, raw
// memory, grown memory), then 50 later calls look for them by every means, including a scan of
// linear memory through ctypes. Run for every restore strategy this machine has.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import { availableFactories } from "../src/restore/select.ts";
import { job } from "./helpers.ts";

// Built at run time in Python so the needle never appears as one literal in the checking code.
const MARK = "ARBOR_SECRET_7f3a91";

const PLANT = `
import sys, os, builtins, json, random
SECRET = "${MARK}"
leaked_global = SECRET
builtins.leaked_builtin = SECRET
_real_len = builtins.len
builtins.len = lambda x: -1
json.dumps = lambda *a, **k: SECRET
sys.modules["leaked_module"] = type(sys)("leaked_module")
sys.modules["leaked_module"].value = SECRET
os.environ["LEAKED_ENV"] = SECRET
os.putenv("LEAKED_PUTENV", SECRET)
open("/workspace/leak.txt", "w").write(SECRET)
os.makedirs("/tmp/leakdir/sub", exist_ok=True)
open("/tmp/leakdir/sub/leak.txt", "w").write(SECRET)
open("/home/pyodide/.leakrc", "w").write(SECRET)
held_fd = open("/tmp/held.txt", "w"); held_fd.write(SECRET)
os.chdir("/tmp")
random.seed(7)
sys.setrecursionlimit(123)
sys.path.insert(0, "/tmp/leakdir")
raw = bytearray((SECRET * 2).encode()) * 20000            # ~760 KB of secret in linear memory
grown = bytearray(64 * 1024 * 1024)                      # grow the heap past the snapshot
grown[-len(SECRET):] = SECRET.encode()
grown[:len(SECRET)] = SECRET.encode()
print("planted")
`;

const CHECK = `
import sys, os, builtins, json, gc
secret = "ARBOR_SECRET" + "_7f3a91"
found = []
if "leaked_global" in globals(): found.append("global")
if hasattr(builtins, "leaked_builtin"): found.append("builtin")
if len([1, 2]) != 2: found.append("patched builtin")
if json.dumps({}) != "{}": found.append("patched stdlib")
if "leaked_module" in sys.modules: found.append("sys.modules")
if "LEAKED_ENV" in os.environ or os.getenv("LEAKED_PUTENV"): found.append("environ")
for p in ("/workspace/leak.txt", "/tmp/leakdir", "/tmp/held.txt", "/home/pyodide/.leakrc"):
    if os.path.exists(p): found.append("file " + p)
if os.listdir("/workspace"): found.append("workspace not empty")
if os.getcwd() != "/workspace": found.append("cwd " + os.getcwd())
if sys.getrecursionlimit() == 123: found.append("recursionlimit")
if "/tmp/leakdir" in sys.path: found.append("sys.path")
gc.unfreeze()  # every object, the frozen ones too (get_objects() skips them)
for o in gc.get_objects():
    if isinstance(o, (str, bytes, bytearray)) and o is not secret and secret in (o if isinstance(o, str) else o.decode("latin-1")):
        found.append("object in gc"); break
found
`;

// Scans linear memory [0, size) for the secret with a regex of one-character classes, so the
// checking call never holds the secret as contiguous bytes itself (0 hits means none left).
// `size` comes from the executor's report: reading past the end of wasm memory traps.
const scan = (size: number) => `
import ctypes, re
pattern = re.compile(b"".join(b"[%c]" % c for c in b"ARBOR_SECRET") + b"".join(b"[%c]" % c for c in b"_7f3a91"))
hits = 0
chunk = 1 << 20
for pos in range(0, ${size}, chunk):
    hits += len(pattern.findall(ctypes.string_at(pos, min(chunk + 64, ${size} - pos))))
hits
`;

const factories = availableFactories();

for (const factory of factories) {
  const probe = factory.probe();
  describe(`isolation with the '${factory.name}' restore`, { skip: probe.ok ? false : probe.reason }, () => {
    let ex: ExecutorProcess;
    before(async () => {
      // With the daemon's default idle spin: the executor polls for each next job between calls.
      ex = await ExecutorProcess.spawn({ strategy: factory.name, idleSpinMicros: 1_000 });
      assert.equal(ex.info.strategy, factory.name);
    });
    after(() => ex.kill("killed_shutdown"));

    test("a planted call leaves nothing for 50 later calls to find", async () => {
      const planted = await ex.run(job(PLANT, { memory_mb: 512 }));
      assert.equal(planted.status, "ok", JSON.stringify(planted.error));
      assert.equal(planted.stdout, "planted\n");
      for (let i = 0; i < 50; i++) {
        const o = await ex.run(job(CHECK));
        assert.equal(o.status, "ok", JSON.stringify(o.error));
        assert.equal(o.result, "[]", `call ${i + 1} found: ${o.result}`);
      }
    });

    test("raw linear memory holds no byte of an earlier call (ctypes scan)", async () => {
      const canScan = await ex.run(job("import ctypes\nctypes.string_at(1024, 4) is not None"));
      if (canScan.status !== "ok") {
        // ctypes is not importable in this build: the gc/object checks above are the scan.
        assert.equal(canScan.error?.type, "ModuleNotFoundError");
        return;
      }
      const grown = await ex.run(job(PLANT, { memory_mb: 512 }));
      const size = grown.memory_bytes;
      assert.ok(size > 64 * 1024 * 1024, `memory grew past the snapshot (${size} bytes)`);
      // Positive control: the same scan sees the secret while it is live.
      const positive = await ex.run(job(`${PLANT}\nbuiltins.len = _real_len\n${scan(size)}`, { memory_mb: 512 }));
      assert.equal(positive.status, "ok", JSON.stringify(positive.error));
      assert.ok(Number(positive.result) > 1000, `the scan must see the live secret (saw ${positive.result})`);
      for (let i = 0; i < 3; i++) {
        const o = await ex.run(job(scan(size)));
        assert.equal(o.status, "ok", JSON.stringify(o.error));
        assert.equal(o.result, "0", `call ${i + 1} found the secret in linear memory`);
      }
    });

    test("Python has no JavaScript to plant state in: no FFI module, no JsProxy anywhere in the heap", async () => {
      const o = await ex.run(
        job(`
import gc, sys
out = []
for name in ("js", "pyodide_js", "pyodide.ffi", "_pyodide_core"):
    try:
        __import__(name)
        out.append(name)
    except ImportError:
        pass
gc.unfreeze()
out += [type(x).__name__ for x in gc.get_objects() if "JsProxy" in type(x).__name__ and not isinstance(x, type)]
out`),
      );
      assert.equal(o.status, "ok", JSON.stringify(o.error));
      assert.equal(o.result, "[]");
    });

    test("a monkeypatched runner cannot capture the next call", async () => {
      const o = await ex.run(job("import arbor_runner\narbor_runner.run = lambda: None\nimport io\nio.StringIO = None"));
      assert.equal(o.status, "ok");
      const next = await ex.run(job("import io\nprint('fine')\nio.StringIO is not None"));
      assert.equal(next.stdout, "fine\n");
      assert.equal(next.result, "True");
    });
  });
}
