// Batches in memory mode: the same interface as the BullMQ queue, on this process alone (no
// Redis). Jobs wait in one FIFO across batches and run `concurrency` at a time; a retryable
// error puts a job back after a backoff. Nothing survives a restart here, which is what memory
// mode means.
import { backoff, byIndex, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_RETENTION_MS, indicesOf, isRetryable, newBatchId, toBatchError, worksOf } from "./batch.ts";
import type { BatchQueue, BatchQueueOptions, BatchResult, BatchRunner, BatchSpec, BatchStatus, BatchView, BatchWork, ResultRange, WorkerOptions } from "./types.ts";

interface Batch {
  id: string;
  tenant: string;
  works: BatchWork[];
  status: BatchStatus;
  createdAt: Date;
  finishedAt: number | null;
  results: Map<number, BatchResult>;
}

interface Job {
  batch: Batch;
  index: number;
  attempt: number;
}

export class MemoryBatches implements BatchQueue {
  readonly kind = "memory";
  private readonly batches = new Map<string, Batch>();
  private readonly waiting: Job[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly aborter = new AbortController();
  private run: BatchRunner | null = null;
  private concurrency = 0;
  private closed = false;

  constructor(
    private readonly options: BatchQueueOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async submit(tenant: string, spec: BatchSpec): Promise<BatchView> {
    this.dropExpired();
    const works = worksOf(spec, this.options.maxItems);
    const batch: Batch = { id: newBatchId(), tenant, works, status: "queued", createdAt: new Date(this.now()), finishedAt: null, results: new Map() };
    this.batches.set(batch.id, batch);
    works.forEach((_, index) => this.waiting.push({ batch, index, attempt: 1 }));
    const accepted = view(batch, {});
    this.pump();
    return accepted;
  }

  async get(tenant: string, batchId: string, range: ResultRange = {}): Promise<BatchView | undefined> {
    this.dropExpired();
    const batch = this.batches.get(batchId);
    return batch && batch.tenant === tenant ? view(batch, range) : undefined;
  }

  async cancel(tenant: string, batchId: string): Promise<BatchView | undefined> {
    const batch = this.batches.get(batchId);
    if (!batch || batch.tenant !== tenant) return undefined;
    if (batch.status === "queued" || batch.status === "running") {
      batch.status = "cancelled";
      batch.finishedAt = this.now();
      for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]!.batch === batch) this.waiting.splice(i, 1);
    }
    return view(batch, {});
  }

  startWorkers(run: BatchRunner, options: WorkerOptions): void {
    this.run = run;
    this.concurrency = options.concurrency;
    this.pump();
  }

  async close(options: { force?: boolean } = {}): Promise<void> {
    this.closed = true;
    for (const t of this.retryTimers) clearTimeout(t);
    if (options.force) this.aborter.abort();
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (this.run && !this.closed && this.running.size < this.concurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      if (job.batch.status === "cancelled") continue;
      const task = this.execute(this.run, job).finally(() => {
        this.running.delete(task);
        this.pump();
      });
      this.running.add(task);
    }
  }

  private async execute(run: BatchRunner, job: Job): Promise<void> {
    const { batch, index } = job;
    if (batch.status === "queued") batch.status = "running";
    let result: BatchResult;
    try {
      const response = await run(batch.works[index]!, { tenant: batch.tenant, batchId: batch.id, index, attempt: job.attempt, signal: this.aborter.signal });
      result = { index, response };
    } catch (err) {
      if (isRetryable(err) && job.attempt < (this.options.attempts ?? DEFAULT_ATTEMPTS) && !this.closed) {
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          this.waiting.push({ ...job, attempt: job.attempt + 1 });
          this.pump();
        }, backoff(job.attempt, this.options.backoffMs ?? DEFAULT_BACKOFF_MS));
        this.retryTimers.add(timer);
        return;
      }
      result = { index, error: toBatchError(err) };
    }
    if (batch.results.has(index)) return;
    batch.results.set(index, result);
    if (batch.results.size === batch.works.length && batch.status !== "cancelled") {
      batch.status = "done";
      batch.finishedAt = this.now();
    }
  }

  private dropExpired(): void {
    const retention = this.options.retentionMs ?? DEFAULT_RETENTION_MS;
    for (const [id, batch] of this.batches) {
      if (batch.finishedAt !== null && this.now() - batch.finishedAt > retention) this.batches.delete(id);
    }
  }
}

function view(batch: Batch, range: ResultRange): BatchView {
  const results: BatchResult[] = [];
  for (const i of indicesOf(range, batch.works.length)) {
    const r = batch.results.get(i);
    if (r) results.push(r);
  }
  return {
    batch_id: batch.id,
    status: batch.status,
    total: batch.works.length,
    done: batch.results.size,
    created_at: batch.createdAt.toISOString(),
    results: results.sort(byIndex),
  };
}
