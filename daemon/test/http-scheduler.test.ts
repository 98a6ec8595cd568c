// The scheduler behind the HTTP layer, over a fake pool whose executors finish when the test
// says so: bounded queue (overloaded at once), per-tenant concurrency that queues without
// blocking other tenants, cancellation while queued, and abandoning the queue at shutdown.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { OverloadedError, Scheduler, type SchedulerPool } from "../src/calls/scheduler.ts";
import type { Job, Outcome } from "../../runtime/src/protocol/messages.ts";

class FakeExecutor {
  alive = true;
  finish: (() => void) | null = null;
  code = "";
  constructor(readonly pid: number) {}
  run(job: Job): Promise<Outcome> {
    this.code = job.code;
    return new Promise((resolve) => {
      this.finish = () => {
        this.finish = null;
        resolve({ status: "ok", stdout: "", stderr: "", result: null, error: null, timing: { restore_ms: 0, exec_ms: 0 } } as unknown as Outcome);
      };
    });
  }
}

class FakePool extends EventEmitter {
  readonly idle: FakeExecutor[];
  constructor(size: number) {
    super();
    this.idle = Array.from({ length: size }, (_, i) => new FakeExecutor(i + 1));
  }
  take() {
    return (this.idle.pop() ?? null) as never;
  }
  get idleCount() {
    return this.idle.length;
  }
  give(ex: FakeExecutor) {
    if (!ex.alive) return;
    this.idle.push(ex);
    this.emit("available");
  }
}

const job: Job = { code: "1", timeout_ms: 1000, memory_mb: 64, max_output_bytes: 1024 };
const tick = () => new Promise((r) => setImmediate(r));

function setup(size: number, maxQueue: number) {
  const pool = new FakePool(size);
  const scheduler = new Scheduler(pool as unknown as SchedulerPool, maxQueue);
  const executors = [...pool.idle];
  const running = () => executors.filter((e) => e.finish);
  return { pool, scheduler, running };
}

test("a full queue rejects at once with OverloadedError carrying a retry hint", async () => {
  const { scheduler, running } = setup(1, 1);
  const a = scheduler.submit(job);
  const b = scheduler.submit(job);
  assert.equal(scheduler.depth, 1);
  await assert.rejects(scheduler.submit(job), (e: unknown) => e instanceof OverloadedError && e.retryAfterSeconds >= 1);
  running()[0]!.finish!();
  await a;
  await tick();
  running()[0]!.finish!();
  await b;
  assert.equal(scheduler.depth, 0);
});

test("queue.max_length 0 never queues", async () => {
  const { scheduler, running } = setup(1, 0);
  const a = scheduler.submit(job);
  await assert.rejects(scheduler.submit(job), OverloadedError);
  running()[0]!.finish!();
  await a;
});

test("a tenant at its concurrency waits in the queue while an executor is idle; other tenants pass", async () => {
  const { pool, scheduler, running } = setup(3, 10);
  const solo = { name: "solo", concurrency: 1 };
  const first = scheduler.submit(job, { tenant: solo });
  const second = scheduler.submit(job, { tenant: solo });
  assert.equal(scheduler.runningFor("solo"), 1);
  assert.equal(scheduler.depth, 1, "the second call of solo waits");
  assert.equal(pool.idle.length, 2, "although executors are idle");

  const other = scheduler.submit(job, { tenant: { name: "other", concurrency: null } });
  assert.equal(scheduler.depth, 1, "another tenant is not held up by solo's waiting call");
  assert.equal(running().length, 2);

  running().forEach((e) => e.finish!());
  await Promise.all([first, other]);
  await tick();
  assert.equal(scheduler.depth, 0, "solo's second call started when its first ended");
  assert.equal(scheduler.runningFor("solo"), 1);
  running()[0]!.finish!();
  await second;
  assert.equal(scheduler.runningFor("solo"), 0);
});

test("a waiting call whose tenant is at its cap does not block the ones behind it", async () => {
  const { scheduler, running } = setup(2, 10);
  const tenantOf = (name: string, concurrency: number | null) => ({
    submit: (j: typeof job) => scheduler.submit(j, { tenant: { name, concurrency } }),
  });
  const solo = tenantOf("solo", 1);
  const bulk = tenantOf("bulk", null);
  const finish = (code: string) => running().find((e) => e.code === code)!.finish!();
  const s1 = solo.submit({ ...job, code: "s1" }); // runs
  const b1 = bulk.submit({ ...job, code: "b1" }); // runs
  const s2 = solo.submit({ ...job, code: "s2" }); // waits: no executor, and solo is at its cap
  const b2 = bulk.submit({ ...job, code: "b2" }); // waits: no executor
  assert.equal(scheduler.depth, 2);
  finish("b1"); // its executor goes to b2, queued behind s2, because solo is still at its cap
  await b1;
  assert.deepEqual(running().map((e) => e.code).sort(), ["b2", "s1"]);
  assert.equal(scheduler.depth, 1);
  finish("s1");
  await s1;
  assert.deepEqual(running().map((e) => e.code).sort(), ["b2", "s2"]);
  finish("b2");
  finish("s2");
  await Promise.all([s2, b2]);
  assert.equal(scheduler.depth, 0);
});

test("an aborted call leaves the queue; abandonQueue fails the rest with the given error", async () => {
  const { scheduler, running } = setup(1, 10);
  const a = scheduler.submit(job);
  const aborted = new AbortController();
  const b = scheduler.submit(job, { signal: aborted.signal });
  const c = scheduler.submit(job);
  aborted.abort();
  await assert.rejects(b, (e: any) => e.code === "cancelled");
  assert.equal(scheduler.depth, 1);
  const gone = new Error("shutting down");
  scheduler.abandonQueue(gone);
  await assert.rejects(c, (e: unknown) => e === gone);
  assert.equal(scheduler.depth, 0);
  running()[0]!.finish!();
  await a;
});
