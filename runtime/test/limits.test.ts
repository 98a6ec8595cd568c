// Limits that hold, with real hostile code: wall time (interrupt and hard kill), memory, output,
// recursion and traps. Each asserts the status and that the executor (or its replacement)
// answers correctly afterwards.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ExecutorProcess, HARD_KILL_GRACE_MS } from "../src/host/executor-process.ts";
import { job } from "./helpers.ts";

describe("limits on one executor", () => {
  let ex: ExecutorProcess;
  before(async () => {
    ex = await ExecutorProcess.spawn();
  });
  after(() => ex.kill("killed_shutdown"));

  async function stillFresh() {
    const o = await ex.run(job("x = 1\nx + 1"));
    assert.equal(o.status, "ok");
    assert.equal(o.result, "2");
  }

  test("a pure-Python infinite loop is interrupted: timeout, same interpreter reused", async () => {
    const pid = ex.pid;
    const o = await ex.run(job("while True: pass", { timeout_ms: 300 }));
    assert.equal(o.status, "timeout");
    assert.equal(o.error?.type, "TimeoutError");
    assert.equal(ex.alive, true);
    assert.equal(ex.pid, pid);
    await stillFresh();
  });

  test("catastrophic regex backtracking is stopped as a timeout", async () => {
    const o = await ex.run(job("import re\nre.match(r'(a+)+$', 'a' * 40 + 'b')", { timeout_ms: 300 }));
    assert.equal(o.status, "timeout");
    assert.equal(o.error?.type, "TimeoutError");
    await stillFresh();
  });

  test("allocating past memory_mb gives memory_limit (MemoryError), the next call is fresh", async () => {
    const o = await ex.run(job("x = bytearray(512 * 2**20)", { memory_mb: 128 }));
    assert.equal(o.status, "memory_limit");
    assert.equal(o.error?.type, "MemoryError");
    await stillFresh();
  });

  test("a growing memory bomb stops at the cap", async () => {
    const o = await ex.run(job("l = []\nwhile True:\n    l.append('x' * 10**6)", { memory_mb: 128 }));
    assert.equal(o.status, "memory_limit");
    assert.ok(o.memory_bytes <= 129 * 2 ** 20, `linear memory stayed under the cap (${o.memory_bytes})`);
    await stillFresh();
  });

  test("a print flood is cut at max_output_bytes with output_limit", async () => {
    const o = await ex.run(job("while True:\n    print('x' * 10000)", { max_output_bytes: 65536 }));
    assert.equal(o.status, "output_limit");
    assert.equal(o.truncated, true);
    assert.ok(Buffer.byteLength(o.stdout) <= 65536);
    await stillFresh();
  });

  test("the output limit counts stdout, stderr and the result together", async () => {
    const o = await ex.run(job("import sys\nprint('a' * 60)\nprint('b' * 60, file=sys.stderr)\n'c' * 100", { max_output_bytes: 150 }));
    assert.equal(o.status, "output_limit");
    assert.ok(Buffer.byteLength(o.stdout) + Buffer.byteLength(o.stderr) + Buffer.byteLength(o.result ?? "") <= 150);
  });

  test("unbounded recursion is a RecursionError, never a dead worker", async () => {
    const o = await ex.run(job("def f(): f()\nf()"));
    assert.equal(o.status, "error");
    assert.equal(o.error?.type, "RecursionError");
    await stillFresh();
  });

  test("a wasm trap (out-of-bounds memory access) is crashed for that call only", async () => {
    const probe = await ex.run(job("import ctypes"));
    if (probe.status !== "ok") return; // no ctypes in this build: no way to trap from Python here
    const pid = ex.pid;
    const o = await ex.run(job("import ctypes\nctypes.string_at(2**32 - 16, 64)"));
    assert.equal(o.status, "crashed");
    assert.equal(o.error?.type, "InterpreterCrash");
    assert.equal(ex.pid, pid, "recovered by a restore, not a respawn");
    await stillFresh();
  });
});

describe("an executor whose memory grew too far", () => {
  test("answers the call, then retires (its memory cannot shrink) instead of serving another", async () => {
    const ex = await ExecutorProcess.spawn();
    try {
      const exited = new Promise<{ reason: string; hadJob: boolean }>((resolve) => ex.once("exit", resolve));
      // 600 MiB past the snapshot: over the 512 MiB of growth an executor keeps serving with.
      const o = await ex.run(job("b = bytearray(600 * 2**20)\nlen(b)", { memory_mb: 1024, timeout_ms: 30_000 }));
      assert.equal(o.status, "ok");
      assert.equal(o.result, String(600 * 2 ** 20));
      const exit = await exited;
      assert.equal(exit.reason, "retired");
      assert.equal(exit.hadJob, false, "it left between jobs, not during one");
      assert.equal(ex.alive, false);
    } finally {
      ex.kill("killed_shutdown");
    }
  });
});

describe("code that never checks the interrupt", () => {
  let ex: ExecutorProcess;
  before(async () => {
    ex = await ExecutorProcess.spawn();
  });
  after(() => ex.kill("killed_shutdown"));

  for (const [name, code] of [
    ["a C-level loop", "sum(range(10**13))"],
    ["time.sleep", "import time\ntime.sleep(30)"],
    ["a loop that swallows KeyboardInterrupt", "while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n        pass"],
  ] as const) {
    test(`${name} is terminated by V8 at the deadline: timeout, same process, fresh next call`, async () => {
      const pid = ex.pid;
      const o = await ex.run(job(code, { timeout_ms: 500 }));
      assert.equal(o.status, "timeout");
      assert.equal(o.error?.type, "TimeoutError");
      assert.equal(ex.alive, true);
      assert.equal(ex.pid, pid);
      const next = await ex.run(job("x = 2\nx * 21"));
      assert.equal(next.result, "42");
    });
  }
});

describe("hard deadline", () => {
  test("a call blocked where nothing can interrupt it (a host call that never answers) is killed and answered as timeout", async () => {
    const ex = await ExecutorProcess.spawn();
    try {
      const started = performance.now();
      const o = await ex.run(job("import host\nhost.read_file('x')", { timeout_ms: 300 }), {
        onHostCall: () => new Promise(() => {}), // never answers
      });
      assert.equal(o.status, "timeout");
      assert.equal(o.error?.type, "TimeoutError");
      assert.equal(ex.alive, false, "the executor was killed");
      // The kill comes from the call's own deadline plus the grace, not from anything later.
      assert.ok(performance.now() - started >= 300 + HARD_KILL_GRACE_MS - 50);
    } finally {
      ex.kill("killed_shutdown");
    }
  });
});
