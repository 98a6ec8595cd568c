// Batches (daemon/src/batches/): the same behaviour in memory and on BullMQ with a real Redis
// (results, progress, retries of retryable errors, typed errors, cancel, tenants), then what
// only Redis mode has: real worker processes, one SIGKILLed or frozen mid-batch, every result
// recorded exactly once; a batch submitted with no worker running is run by one started later.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { ArborError } from "../src/errors.ts";
import { MemoryBatches } from "../src/batches/memory-batches.ts";
import { RedisBatches } from "../src/batches/redis-batches.ts";
import type { BatchQueue, BatchView } from "../src/batches/types.ts";
import { parseLog, testRunner } from "./support/batch-runner.ts";
import { Child, RedisServer, waitFor } from "./support/services.ts";

const requests = (codes: string[]) => ({ requests: codes.map((code) => ({ code })) });

async function finished(q: BatchQueue, tenant: string, id: string, timeoutMs = 30_000): Promise<BatchView> {
  return waitFor(`batch ${id} to finish`, async () => {
    const v = await q.get(tenant, id);
    return v && (v.status === "done" || v.status === "cancelled") && v.done === v.total ? v : undefined;
  }, timeoutMs);
}

function conformance(kind: string, make: (log: string, jobMs: number, concurrency: number) => Promise<BatchQueue>) {
  describe(`${kind} batches`, () => {
    const dir = mkdtempSync(join(tmpdir(), "arbor-batches-"));
    const queues: BatchQueue[] = [];
    let n = 0;
    const open = async (jobMs = 5, concurrency = 4) => {
      const log = join(dir, `log-${n++}`);
      writeFileSync(log, "");
      const q = await make(log, jobMs, concurrency);
      queues.push(q);
      return { q, log: () => parseLog(readFileSync(log, "utf8")) };
    };
    after(async () => {
      for (const q of queues) await q.close({ force: true });
      rmSync(dir, { recursive: true, force: true });
    });

    test("every program's result, by index; progress while it runs", async () => {
      const { q } = await open(30, 2);
      const codes = Array.from({ length: 12 }, (_, i) => `program-${i}`);
      const submitted = await q.submit("acme", requests(codes));
      assert.match(submitted.batch_id, /^bt_[A-Za-z0-9_-]{16}$/);
      assert.equal(submitted.status, "queued");
      assert.equal(submitted.total, 12);
      const midway = await waitFor("some but not all results", async () => {
        const v = await q.get("acme", submitted.batch_id);
        return v && v.done > 0 && v.done < v.total ? v : undefined;
      });
      assert.equal(midway.status, "running");
      assert.equal(midway.results.length, midway.done);
      const done = await finished(q, "acme", submitted.batch_id);
      assert.equal(done.status, "done");
      assert.deepEqual(done.results.map((r) => r.index), codes.map((_, i) => i));
      assert.deepEqual(done.results.map((r) => ("response" in r ? r.response.result : r.error.code)), codes);
      const page = await q.get("acme", submitted.batch_id, { from: 5, limit: 3 });
      assert.deepEqual(page?.results.map((r) => r.index), [5, 6, 7]);
      assert.equal(page?.done, 12);
    });

    test("a fork spec runs every branch on the state", async () => {
      const { q } = await open();
      const b = await q.submit("acme", { state_id: "st_root", branches: [{ code: "a" }, { code: "b", checkpoint: true }] });
      const done = await finished(q, "acme", b.batch_id);
      assert.deepEqual(done.results.map((r) => ("response" in r ? r.response.result : null)), ["st_root:a", "st_root:b"]);
    });

    test("retryable errors are retried; others are recorded as the job's typed error", async () => {
      const { q, log } = await open();
      const b = await q.submit("acme", requests(["busy:2", "deny", "crash", "busy:99"]));
      const done = await finished(q, "acme", b.batch_id);
      const [busy, deny, crash, exhausted] = done.results;
      assert.ok(busy && "response" in busy, JSON.stringify(busy));
      assert.equal(busy.response.result, "busy:2");
      assert.equal(log().filter((l) => l.index === 0 && l.event === "start").length, 3);
      assert.deepEqual(deny && "error" in deny && deny.error, { code: "capability_denied", message: "no shell for you", details: { capability: "shell" } });
      assert.deepEqual(crash && "error" in crash && crash.error, { code: "internal", message: "Internal error." }, "no internals leak");
      assert.equal(exhausted && "error" in exhausted && exhausted.error.code, "overloaded");
      assert.equal(log().filter((l) => l.index === 3 && l.event === "start").length, 3, "attempts: 3");
    });

    test("size limits are typed errors", async () => {
      const { q } = await open();
      await assert.rejects(q.submit("acme", requests([])), (e: unknown) => e instanceof ArborError && e.code === "invalid_request");
      await assert.rejects(
        q.submit("acme", requests(Array.from({ length: 51 }, () => "x"))),
        (e: unknown) => e instanceof ArborError && e.code === "limit_exceeded",
      );
    });

    test("another tenant's batch, or a made-up id, is not found", async () => {
      const { q } = await open();
      const b = await q.submit("acme", requests(["x"]));
      assert.equal(await q.get("beta", b.batch_id), undefined);
      assert.equal(await q.cancel("beta", b.batch_id), undefined);
      assert.equal(await q.get("acme", "bt_AAAAAAAAAAAAAAAA"), undefined);
      assert.equal(await q.get("acme", "bt_}:*"), undefined);
      assert.equal((await finished(q, "acme", b.batch_id)).done, 1);
    });

    test("cancel: what has not started never runs; what was running finishes", async () => {
      const { q, log } = await open(80, 1);
      const b = await q.submit("acme", requests(Array.from({ length: 20 }, (_, i) => `p${i}`)));
      await waitFor("a first result", async () => ((await q.get("acme", b.batch_id))?.done ?? 0) >= 1);
      const cancelled = await q.cancel("acme", b.batch_id);
      assert.equal(cancelled?.status, "cancelled");
      const startedAtCancel = log().filter((l) => l.event === "start" && l.batchId === b.batch_id).length;
      await waitFor("running jobs to finish", async () => {
        const v = await q.get("acme", b.batch_id);
        return v && v.done === startedAtCancel;
      });
      await new Promise((r) => setTimeout(r, 300)); // time for anything wrongly left to start
      const final = await q.get("acme", b.batch_id);
      assert.equal(final?.status, "cancelled");
      assert.ok(final!.done < 20);
      assert.equal(log().filter((l) => l.event === "start" && l.batchId === b.batch_id).length, startedAtCancel, "nothing started after the cancel");
      assert.equal((await q.cancel("acme", b.batch_id))?.status, "cancelled");
    });

    test("a finished batch stays finished when cancelled", async () => {
      const { q } = await open();
      const b = await q.submit("acme", requests(["x"]));
      await finished(q, "acme", b.batch_id);
      assert.equal((await q.cancel("acme", b.batch_id))?.status, "done");
    });
  });
}

conformance("memory", async (log, jobMs, concurrency) => {
  const q = new MemoryBatches({ maxItems: 50, attempts: 3, backoffMs: 10 });
  q.startWorkers(testRunner({ jobMs, log }), { concurrency });
  return q;
});

describe("redis", () => {
  let server: RedisServer;
  let queueNo = 0;
  before(async () => {
    server = await RedisServer.start();
  });
  after(async () => {
    await server.dispose();
  });

  conformance("redis", async (log, jobMs, concurrency) => {
    // A queue per test: a slow test's leftovers never hold up the next one.
    const q = new RedisBatches({ url: server.url, queueName: `conf${queueNo++}`, maxItems: 50, attempts: 3, backoffMs: 10 });
    q.startWorkers(testRunner({ jobMs, log }), { concurrency });
    return q;
  });

  describe("worker processes", () => {
    const dir = mkdtempSync(join(tmpdir(), "arbor-batch-workers-"));
    const workers: Child[] = [];
    let raw: Redis;
    let producer: RedisBatches;
    const LOCK_MS = 1_500;
    before(() => {
      raw = new Redis(server.url);
    });
    after(async () => {
      for (const w of workers) await w.stop("SIGKILL");
      await producer?.close();
      raw.disconnect();
      rmSync(dir, { recursive: true, force: true });
    });

    const worker = async (queue: string, log: string, jobMs: number, concurrency = 2, maxStalled = 3) => {
      const script = fileURLToPath(new URL("./support/batch-worker.ts", import.meta.url));
      const child = new Child(process.execPath, ["--import", "tsx", script], {
        env: {
          ...process.env,
          REDIS_URL: server.url,
          BATCH_QUEUE: queue,
          BATCH_LOG: log,
          BATCH_JOB_MS: String(jobMs),
          BATCH_CONCURRENCY: String(concurrency),
          BATCH_LOCK_MS: String(LOCK_MS),
          BATCH_STALLED_MS: "500",
          BATCH_MAX_STALLED: String(maxStalled),
        },
      });
      workers.push(child);
      await waitFor(`worker ${child.pid} ready`, () => {
        if (!child.running) throw new Error(`worker exited: ${child.log}`);
        return readFileSync(log, "utf8").includes(`ready ${child.pid}\n`);
      });
      return child;
    };
    const setup = async (queue: string) => {
      const log = join(dir, `${queue}.log`);
      writeFileSync(log, "");
      await producer?.close();
      producer = new RedisBatches({ url: server.url, queueName: queue, maxItems: 1000 });
      return { log, lines: () => parseLog(readFileSync(log, "utf8")) };
    };
    /** HLEN of the results hash: one field per recorded job, never more. */
    const recorded = (batchId: string) => raw.hlen(`arbor:bt:{${batchId}}:r`);

    test("a worker SIGKILLed mid-batch loses no job; every result is recorded exactly once", async () => {
      const { log, lines } = await setup("kill");
      const victim = await worker("kill", log, 250);
      const survivor = await worker("kill", log, 250);
      const b = await producer.submit("acme", requests(Array.from({ length: 24 }, (_, i) => `p${i}`)));
      await waitFor("the victim to be mid-job", () => lines().filter((l) => l.pid === victim.pid && l.event === "start").length >= 3);
      await victim.stop("SIGKILL");
      const inFlight = new Set(
        lines()
          .filter((l) => l.pid === victim.pid && l.event === "start")
          .map((l) => l.index)
          .filter((i) => !lines().some((l) => l.pid === victim.pid && l.event === "end" && l.index === i)),
      );
      assert.ok(inFlight.size > 0, "the victim died holding jobs");
      const done = await finished(producer, "acme", b.batch_id, 60_000);
      assert.equal(done.status, "done");
      assert.equal(done.done, 24);
      assert.equal(await recorded(b.batch_id), 24);
      assert.deepEqual(done.results.map((r) => r.index), Array.from({ length: 24 }, (_, i) => i));
      for (const i of inFlight) {
        const r = done.results[i]!;
        assert.ok("response" in r && r.response.stdout === String(survivor.pid), `job ${i} was rerun by the survivor`);
      }
    });

    test("a frozen worker's job is rerun elsewhere; when it wakes, its late result is dropped", async () => {
      const { log, lines } = await setup("freeze");
      const frozen = await worker("freeze", log, 300, 1);
      const b = await producer.submit("acme", requests(["slow-0", "slow-1", "slow-2", "slow-3"]));
      await waitFor("the first job to start", () => lines().some((l) => l.pid === frozen.pid && l.event === "start"));
      frozen.process.kill("SIGSTOP");
      const held = lines().find((l) => l.pid === frozen.pid && l.event === "start")!.index;
      const other = await worker("freeze", log, 50, 2);
      const done = await finished(producer, "acme", b.batch_id, 60_000);
      assert.equal(done.done, 4);
      const first = done.results[held]!;
      assert.ok("response" in first && first.response.stdout === String(other.pid), "the held job's result came from the live worker");
      frozen.process.kill("SIGCONT");
      await waitFor("the woken worker to finish the job it held", () => lines().some((l) => l.pid === frozen.pid && l.event === "end" && l.index === held));
      // It then writes its result (dropped: one is there) and tells BullMQ the job is done,
      // which BullMQ refuses (the job is no longer its): wait for that refusal, so the write
      // has been tried by the time we look.
      await waitFor("BullMQ to refuse the woken worker's completion", () =>
        readFileSync(log, "utf8").split("\n").some((l) => l.startsWith(`error ${frozen.pid} `) && l.includes(`${b.batch_id}-${held}`) && /moveToFinished/.test(l)),
      );
      const after = await producer.get("acme", b.batch_id);
      assert.equal(after?.done, 4, "done counts one result per job");
      assert.equal(await recorded(b.batch_id), 4);
      const kept = after!.results[held]!;
      assert.ok("response" in kept && kept.response.stdout === String(other.pid), "the first result stays");
      assert.equal(lines().filter((l) => l.index === held && l.event === "end").length, 2, "the job ran twice, was recorded once");
    });

    test("a job abandoned more often than maxStalledCount is recorded as an internal error; the batch finishes", async () => {
      const { log, lines } = await setup("abandoned");
      const victim = await worker("abandoned", log, 2_000, 1, 0);
      const b = await producer.submit("acme", requests(["doomed"]));
      await waitFor("the job to start", () => lines().some((l) => l.pid === victim.pid && l.event === "start"));
      await victim.stop("SIGKILL");
      // A live daemon's workers find the stalled job; with maxStalledCount 0 BullMQ fails it.
      const checker = await worker("abandoned", log, 10, 1, 0);
      const done = await finished(producer, "acme", b.batch_id);
      assert.equal(done.status, "done");
      const [only] = done.results;
      assert.ok(only && "error" in only, JSON.stringify(only));
      assert.equal(only.error.code, "internal");
      assert.match(only.error.message, /abandoned/);
      assert.ok(!lines().some((l) => l.pid === checker.pid && l.event === "start"), "the job was not run again");
    });

    test("a batch submitted while no worker runs is run by a worker started later", async () => {
      const { log } = await setup("later");
      const b = await producer.submit("acme", requests(["a", "b", "c"]));
      await producer.close();
      producer = new RedisBatches({ url: server.url, queueName: "later", maxItems: 1000 });
      assert.equal((await producer.get("acme", b.batch_id))?.status, "queued");
      await worker("later", log, 10);
      const done = await finished(producer, "acme", b.batch_id);
      assert.deepEqual(done.results.map((r) => ("response" in r ? r.response.result : null)), ["a", "b", "c"]);
    });
  });
});
