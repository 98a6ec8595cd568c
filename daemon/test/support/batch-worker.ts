// A batch worker process for the batch tests: a RedisBatches that only takes jobs (as every
// daemon will), run through the test runner. Configured by environment; the test kills it.
import { appendFileSync } from "node:fs";
import { RedisBatches } from "../../src/batches/redis-batches.ts";
import { testRunner } from "./batch-runner.ts";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`batch-worker: ${name} is not set`);
  return value;
};
const log = env("BATCH_LOG");
const batches = new RedisBatches({
  url: env("REDIS_URL"),
  queueName: env("BATCH_QUEUE"),
  maxItems: 1000,
  lockDurationMs: Number(env("BATCH_LOCK_MS")),
  stalledIntervalMs: Number(env("BATCH_STALLED_MS")),
  maxStalledCount: Number(process.env.BATCH_MAX_STALLED ?? 3),
  onError: (err) => appendFileSync(log, `error ${process.pid} ${err.message}\n`),
});
batches.startWorkers(testRunner({ jobMs: Number(env("BATCH_JOB_MS")), log }), { concurrency: Number(env("BATCH_CONCURRENCY")) });
process.on("SIGTERM", () => void batches.close().then(() => process.exit(0)));
appendFileSync(log, `ready ${process.pid}\n`);
