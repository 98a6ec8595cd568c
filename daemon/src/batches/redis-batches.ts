// Durable batches on BullMQ: one BullMQ job per program, taken by the workers of every daemon
// sharing the Redis. BullMQ gives each running job a lock its worker renews; a worker that dies
// stops renewing, and another worker's stalled-job check puts the job back in the queue, so a
// killed daemon loses no job. A job may therefore run twice; its result is recorded once (the
// CLAIM/RECORD scripts: HSETNX on the job's index, `done` counts first writes only).
import { Queue, QueueEvents, Worker, type Job } from "bullmq";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import { ArborError, errors } from "../errors.ts";
import { BATCH_ID, byIndex, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_RETENTION_MS, indicesOf, isRetryable, newBatchId, toBatchError, worksOf } from "./batch.ts";
import { CANCEL, CLAIM, RECORD } from "./redis-scripts.ts";
import type { BatchQueue, BatchQueueOptions, BatchResult, BatchRunner, BatchSpec, BatchStatus, BatchView, BatchWork, ResultRange, WorkerOptions } from "./types.ts";

export interface RedisBatchesOptions extends BatchQueueOptions {
  /** redis:// URL (states.redis_url unless batches get their own Redis). */
  url: string;
  /** Key prefix shared with the state store. Default "arbor". */
  prefix?: string;
  /** BullMQ queue name. Default "batches". */
  queueName?: string;
  /**
   * How long a job's lock lasts without renewal: a dead worker's jobs return to the queue
   * after about this plus one stalled check. Default 30 s (BullMQ's).
   */
  lockDurationMs?: number;
  /** How often each worker looks for jobs whose lock expired. Default 30 s (BullMQ's). */
  stalledIntervalMs?: number;
  /** Times a job may be abandoned by a dying worker before it is failed. Default 3. */
  maxStalledCount?: number;
  /** This daemon's name on the jobs it runs (BullMQ's `processedBy`). Default host:pid. */
  workerName?: string;
  onError?: (err: Error) => void;
}

interface JobData {
  batchId: string;
  tenant: string;
  index: number;
  work: BatchWork;
}

interface ScriptClient extends Redis {
  arborBatchClaim(meta: string, results: string, index: number): Promise<"run" | "skip" | "gone">;
  arborBatchRecord(meta: string, results: string, index: number, json: string, retentionMs: number, now: number): Promise<number>;
  arborBatchCancel(meta: string, results: string, tenant: string, retentionMs: number, now: number): Promise<BatchStatus | null>;
}

export class RedisBatches implements BatchQueue {
  readonly kind = "redis";
  private readonly redis: ScriptClient;
  private readonly queue: Queue<JobData>;
  private worker: Worker<JobData> | null = null;
  private events: QueueEvents | null = null;
  private readonly connections: Redis[] = [];
  private readonly aborter = new AbortController();
  private readonly prefix: string;
  private readonly queueName: string;

  constructor(private readonly options: RedisBatchesOptions) {
    this.prefix = options.prefix ?? "arbor";
    this.queueName = options.queueName ?? "batches";
    this.redis = this.connect(true) as ScriptClient;
    this.redis.defineCommand("arborBatchClaim", { numberOfKeys: 2, lua: CLAIM });
    this.redis.defineCommand("arborBatchRecord", { numberOfKeys: 2, lua: RECORD });
    this.redis.defineCommand("arborBatchCancel", { numberOfKeys: 2, lua: CANCEL });
    this.queue = new Queue<JobData>(this.queueName, { connection: this.connect(true), prefix: `${this.prefix}:bull` });
    this.queue.on("error", (err) => options.onError?.(err));
  }

  /**
   * Workers' connections wait as long as they must (BullMQ wants `maxRetriesPerRequest: null`
   * for its blocking commands); the ones requests use fail fast, so a client gets `unavailable`
   * while Redis is down instead of a request that hangs.
   */
  private connect(failFast = false): Redis {
    const client = new Redis(
      this.options.url,
      failFast ? { maxRetriesPerRequest: 2, connectTimeout: 2_000, retryStrategy: (times) => Math.min(times * 50, 500) } : { maxRetriesPerRequest: null },
    );
    client.on("error", (err: Error) => this.options.onError?.(err));
    this.connections.push(client);
    return client;
  }

  private keys(batchId: string): { meta: string; results: string } {
    const base = `${this.prefix}:bt:{${batchId}}`;
    return { meta: `${base}:m`, results: `${base}:r` };
  }

  private get retentionMs(): number {
    return this.options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  async submit(tenant: string, spec: BatchSpec): Promise<BatchView> {
    const works = worksOf(spec, this.options.maxItems);
    return this.reachable(() => this.enqueue(tenant, spec, works));
  }

  private async enqueue(tenant: string, spec: BatchSpec, works: BatchWork[]): Promise<BatchView> {
    const batchId = newBatchId();
    const { meta } = this.keys(batchId);
    const created = Date.now();
    await this.redis.hset(meta, {
      tenant,
      total: works.length,
      done: 0,
      status: "queued",
      created,
      kind: "requests" in spec ? "requests" : "fork",
      state_id: "state_id" in spec ? spec.state_id : "",
    });
    const attempts = this.options.attempts ?? DEFAULT_ATTEMPTS;
    try {
      await this.queue.addBulk(
        works.map((work, index) => ({
          name: "eval",
          data: { batchId, tenant, index, work },
          opts: {
            // The job id names its batch and index (BullMQ forbids ':' in ids).
            jobId: `${batchId}-${index}`,
            attempts,
            backoff: { type: "exponential", delay: this.options.backoffMs ?? DEFAULT_BACKOFF_MS },
            // The outcome lives in the batch's own keys; BullMQ keeps nothing once a job ends.
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
    } catch (err) {
      await this.redis.del(meta).catch(() => undefined);
      throw err;
    }
    return { batch_id: batchId, status: "queued", total: works.length, done: 0, created_at: new Date(created).toISOString(), results: [] };
  }

  async get(tenant: string, batchId: string, range: ResultRange = {}): Promise<BatchView | undefined> {
    if (!BATCH_ID.test(batchId)) return undefined;
    return this.reachable(() => this.read(tenant, batchId, range));
  }

  private async read(tenant: string, batchId: string, range: ResultRange): Promise<BatchView | undefined> {
    const { meta, results } = this.keys(batchId);
    const [owner, total, done, status, created] = await this.redis.hmget(meta, "tenant", "total", "done", "status", "created");
    if (owner !== tenant || total === null) return undefined;
    const indices = indicesOf(range, Number(total));
    const out: BatchResult[] = [];
    if (indices.length && Number(done) > 0) {
      const values = await this.redis.hmget(results, ...indices.map(String));
      values.forEach((v) => v !== null && out.push(JSON.parse(v) as BatchResult));
    }
    return {
      batch_id: batchId,
      status: status as BatchStatus,
      total: Number(total),
      done: Number(done),
      created_at: new Date(Number(created)).toISOString(),
      results: out.sort(byIndex),
    };
  }

  async cancel(tenant: string, batchId: string): Promise<BatchView | undefined> {
    if (!BATCH_ID.test(batchId)) return undefined;
    return this.reachable(() => this.cancelNow(tenant, batchId));
  }

  private async cancelNow(tenant: string, batchId: string): Promise<BatchView | undefined> {
    const { meta, results } = this.keys(batchId);
    const status = await this.redis.arborBatchCancel(meta, results, tenant, this.retentionMs, Date.now());
    if (status === null) return undefined;
    if (status === "cancelled") {
      // Take the jobs that have not started off the queue (a running one is locked and stays;
      // one that slips past this still finds the batch cancelled when it is claimed).
      const total = Number(await this.redis.hget(meta, "total"));
      await Promise.allSettled(Array.from({ length: total }, (_, i) => this.queue.remove(`${batchId}-${i}`)));
    }
    return this.read(tenant, batchId, { limit: 0 });
  }

  startWorkers(run: BatchRunner, options: WorkerOptions): void {
    if (this.worker) throw new Error("workers already started");
    const shared = { connection: this.connect(), prefix: `${this.prefix}:bull` };
    this.worker = new Worker<JobData>(this.queueName, (job) => this.process(run, job), {
      ...shared,
      concurrency: options.concurrency,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 3,
      // Shown as each running job's `processedBy`: which daemon holds it (ops, the cluster test).
      name: this.options.workerName ?? `${hostname()}:${process.pid}`,
    });
    this.worker.on("error", (err) => this.options.onError?.(err));
    // A job that stalled more than maxStalledCount times is failed by BullMQ without reaching
    // a processor: record that as its result, or its batch would never finish. Every daemon
    // hears the event; the result is recorded once.
    this.events = new QueueEvents(this.queueName, { ...shared, connection: this.connect() });
    this.events.on("error", (err) => this.options.onError?.(err));
    this.events.on("failed", ({ jobId }) => void this.recordAbandoned(jobId).catch((err: Error) => this.options.onError?.(err)));
  }

  async close(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) this.aborter.abort();
    await this.worker?.close(options.force);
    await this.events?.close();
    await this.queue.close();
    for (const c of this.connections) c.disconnect();
  }

  private async process(run: BatchRunner, job: Job<JobData>): Promise<void> {
    const { batchId, tenant, index, work } = job.data;
    const { meta, results } = this.keys(batchId);
    if ((await this.redis.arborBatchClaim(meta, results, index)) !== "run") return;
    let result: BatchResult;
    try {
      const response = await run(work, { tenant, batchId, index, attempt: job.attemptsStarted, signal: this.aborter.signal });
      // Cut short by this daemon stopping (its executor was killed): not the program's result.
      if (this.aborter.signal.aborted) throw new Error("the daemon stopped while the job ran");
      result = { index, response };
    } catch (err) {
      // This daemon is stopping without waiting for its jobs: the job runs again elsewhere.
      if (this.aborter.signal.aborted) throw err;
      // BullMQ retries it after a backoff; the last attempt records the error instead.
      if (isRetryable(err) && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw err;
      result = { index, error: toBatchError(err) };
    }
    await this.record(batchId, result);
  }

  /** Writes a job's result unless one is already there; true when this write was the one kept. */
  private async record(batchId: string, result: BatchResult): Promise<boolean> {
    const { meta, results } = this.keys(batchId);
    return (await this.redis.arborBatchRecord(meta, results, result.index, JSON.stringify(result), this.retentionMs, Date.now())) === 1;
  }

  /** Redis errors of a request become `unavailable` (503): the client retries, the daemon keeps serving. */
  private async reachable<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof ArborError) throw err;
      throw errors.unavailable(1, "The batch queue cannot be reached; retry shortly (calls outside batches are not affected).", { component: "batch_queue" });
    }
  }

  private async recordAbandoned(jobId: string): Promise<void> {
    const dash = jobId.lastIndexOf("-");
    const batchId = jobId.slice(0, dash);
    const index = Number(jobId.slice(dash + 1));
    if (!BATCH_ID.test(batchId) || !Number.isInteger(index)) return;
    await this.record(batchId, {
      index,
      error: { code: "internal", message: "The job was abandoned: the workers running it stopped too many times." },
    });
  }
}
