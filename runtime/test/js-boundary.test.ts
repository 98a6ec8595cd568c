// The JS boundary against hostile calls, on one real executor: after each attack of
// support/hostile.ts the walk of everything Python can reach finds nothing of Pyodide's FFI,
// the state outside linear memory has the snapshot's fingerprint, the executor is the same
// process, no answer names a host path, and a normal call answers exactly as it did fresh.
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import type { Outcome, StateFingerprintReport } from "../src/protocol/messages.ts";
import { job } from "./helpers.ts";
import { HOSTILE, NORMAL } from "./support/hostile.ts";
import { REACHABILITY_PY, type Reachable } from "./support/reachability.ts";

const PROJECT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const HOST_MARKERS = [PROJECT, process.execPath, "file://", "node_modules"];

/** The parts of an answer a fresh interpreter determines (not timing or memory size). */
function answer(o: Outcome) {
  return { status: o.status, stdout: o.stdout, stderr: o.stderr, result: o.result, error: o.error };
}

function assertNoHostDetail(o: Outcome): void {
  const text = JSON.stringify(o);
  for (const marker of HOST_MARKERS) assert.ok(!text.includes(marker), `the answer names ${marker}: ${text.slice(0, 400)}`);
}

async function reachable(ex: ExecutorProcess): Promise<Reachable> {
  const o = await ex.run(job(REACHABILITY_PY, { timeout_ms: 60_000 }));
  assert.equal(o.status, "ok", JSON.stringify(o.error));
  return JSON.parse(o.stdout) as Reachable;
}

function assertNothingOfTheFfi(r: Reachable): void {
  assert.ok(r.walked > 10_000, `the walk saw the heap (${r.walked} objects)`);
  assert.deepEqual(r.jsproxies, [], "JsProxy instances");
  assert.deepEqual(r.ffi_callables, [], "FFI functions that still reach something");
  assert.deepEqual(r.ffi_modules, [], "FFI modules");
  assert.deepEqual(r.imports, [], "FFI modules that can be imported");
}

describe("the JS boundary holds against hostile calls", () => {
  let ex: ExecutorProcess;
  let snapshot: StateFingerprintReport;
  const fresh = new Map<number, ReturnType<typeof answer>>();

  before(async () => {
    ex = await ExecutorProcess.spawn();
    snapshot = await ex.fingerprint();
    for (const [i, n] of NORMAL.entries()) fresh.set(i, answer(await ex.run(job(n.code, { seed: n.seed, stdin: "hello\n" }))));
  });
  after(() => ex.kill("killed_shutdown"));

  test("in the snapshot: no JsProxy, no FFI function or module, nothing importable, and no FFI type makes a JsProxy", async () => {
    const r = await reachable(ex);
    assertNothingOfTheFfi(r);
    assert.deepEqual(await ex.fingerprint(), snapshot);
  });

  HOSTILE.forEach((c, i) => {
    test(`${c.group}: ${c.name}`, async () => {
      const pid = ex.pid;
      const o = await ex.run(job(c.code, c.job));
      c.expect(o);
      assertNoHostDetail(o);
      assert.equal(ex.alive, true, `the executor survived (${ex.lastStderr.slice(-300)})`);
      assert.equal(ex.pid, pid, "recovered in place, not respawned");
      assert.deepEqual(await ex.fingerprint(), snapshot, "state outside linear memory is the snapshot's");
      const n = NORMAL[i % NORMAL.length]!;
      assert.deepEqual(answer(await ex.run(job(n.code, { seed: n.seed, stdin: "hello\n" }))), fresh.get(i % NORMAL.length), "a normal call answers as fresh");
      assertNothingOfTheFfi(await reachable(ex));
    });
  });
});
