// Batch: a handle to a durable batch on the daemon (POST /v1/batches). Its jobs run on the
// daemon's workers whether or not anyone is polling; `wait` and `results` poll GET with backoff.
import type { Client } from "./client.ts";
import { pollBatch } from "./batch-poll.ts";
import { ROUTES, routeTo } from "./routes.ts";
import type { BatchPageOptions, BatchProgress, BatchResult, BatchView, BatchWaitOptions } from "./types.ts";
import { fromWireBatchView } from "./wire.ts";

export class Batch {
  constructor(
    private readonly client: Client,
    readonly id: string,
  ) {}

  /** GET /v1/batches/{id}: status, total, done, and the results recorded so far in the range. */
  async get(options: BatchPageOptions = {}): Promise<BatchView> {
    const res = await this.client.request({
      ...routeTo(ROUTES.batchGet, { batch_id: this.id }, { from: options.from, limit: options.limit }),
      signal: options.signal,
    });
    return fromWireBatchView(res.body, this.id, res.requestId);
  }

  /** DELETE /v1/batches/{id}: jobs not started are dropped; running ones finish and are kept. */
  async cancel(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.client.request({ ...routeTo(ROUTES.batchCancel, { batch_id: this.id }), signal: options.signal });
  }

  /**
   * Polls until the batch is `done` or `cancelled` and returns it with every result, by index.
   * Throws WaitTimeoutError after `timeoutMs`. A cancelled batch has no result for the jobs
   * that never ran.
   */
  async wait(options: BatchWaitOptions = {}): Promise<BatchView> {
    const results: BatchResult[] = [];
    let last: BatchProgress | undefined;
    for await (const poll of pollBatch(this.id, (page) => this.get(page), options)) {
      results.push(...poll.fresh);
      last = poll.progress;
    }
    // pollBatch ends only after yielding a final status (or throws), so `last` is that poll's.
    return { id: this.id, ...last!, results: results.sort((a, b) => a.index - b.index) };
  }

  /**
   * Each job's result once, as polls find them (not in index order: a slow job does not hold
   * back the others; within one poll, by index). Ends when the batch is `done` or `cancelled`;
   * throws WaitTimeoutError after `timeoutMs`.
   */
  async *results(options: BatchWaitOptions = {}): AsyncGenerator<BatchResult> {
    for await (const poll of pollBatch(this.id, (page) => this.get(page), options)) yield* poll.fresh;
  }
}
