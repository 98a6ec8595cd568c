// The pool with real executors: a retiring executor (recycled after N calls) is swapped for the
// warm spare before it can be handed another job, so no call is lost.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "../src/calls/pool.ts";
import { Scheduler } from "../src/calls/scheduler.ts";

let pool: Pool;
let scheduler: Scheduler;
before(async () => {
  pool = new Pool({ size: 1, spares: 1, recycleAfterCalls: 3 });
  scheduler = new Scheduler(pool, 16);
  await pool.start();
  while (pool.stats().spares < 1) await sleep(50);
});
after(() => pool.close());

const job = (code: string) => ({ code, timeout_ms: 5000, memory_mb: 256, max_output_bytes: 1 << 20 });

test("calls keep succeeding across executor recycling; every retirement is counted", async () => {
  const pids = new Set<number>();
  for (let i = 0; i < 9; i++) {
    const { outcome, executorPid } = await scheduler.submit(job(`${i} * 3`));
    assert.equal(outcome.status, "ok", JSON.stringify(outcome.error));
    assert.equal(outcome.result, String(i * 3));
    pids.add(executorPid);
    // Give the pool a moment to boot the next spare, as a daemon between bursts would.
    while (pool.stats().spares < 1 && pool.stats().booting > 0) await sleep(50);
  }
  assert.ok(pids.size >= 3, `9 calls with recycling every 3 ran on ${pids.size} executors`);
  assert.ok(pool.stats().retired >= 2);
  assert.equal(pool.stats().crashes, 0);
});
