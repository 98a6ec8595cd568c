// Polling a batch until it is final: each poll fetches only the job indices not seen yet (from
// the lowest unseen index, a page at a time), so every result is downloaded about once; the
// wait between polls starts short, doubles while nothing new arrives, and resets when something does.
import { FINAL_BATCH_STATUSES } from "./enums.ts";
import { WaitTimeoutError } from "./errors.ts";
import { sleep } from "./retry.ts";
import type { BatchPageOptions, BatchProgress, BatchResult, BatchView, BatchWaitOptions } from "./types.ts";

export const DEFAULT_POLL_INTERVAL_MS = 200;
export const DEFAULT_MAX_POLL_INTERVAL_MS = 5_000;
export const DEFAULT_PAGE_SIZE = 100;

/** What one poll found: the progress at its first GET and the results not seen before, by index. */
export interface Poll {
  progress: BatchProgress;
  fresh: BatchResult[];
}

/** The wait before the next poll: `min` at first and after a poll that found results, else doubled up to `max`. */
export function nextPollDelayMs(previous: number | undefined, progressed: boolean, min: number, max: number): number {
  if (previous === undefined || progressed) return min;
  return Math.min(max, Math.max(min, previous * 2));
}

/** Polls `get` until the batch is final (or the deadline passes), yielding what each poll found. */
export async function* pollBatch(
  batchId: string,
  get: (page: BatchPageOptions) => Promise<BatchView>,
  options: BatchWaitOptions,
): AsyncGenerator<Poll> {
  const min = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const max = options.maxPollIntervalMs ?? DEFAULT_MAX_POLL_INTERVAL_MS;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!(pageSize >= 1)) throw new RangeError(`pageSize must be >= 1, got ${pageSize}`);
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const seen = new Set<number>();
  let next = 0; // the lowest job index without a result seen
  let reported: BatchProgress | undefined;
  let delay: number | undefined;
  for (;;) {
    const first = await get({ from: next, limit: pageSize, signal: options.signal });
    const progress: BatchProgress = { status: first.status, total: first.total, done: first.done };
    const fresh = unseen(first.results, seen);
    // Results recorded by the first GET are all at indices >= next; page on until they are in.
    for (let from = next + pageSize; seen.size < progress.done && from < progress.total; from += pageSize) {
      fresh.push(...unseen((await get({ from, limit: pageSize, signal: options.signal })).results, seen));
    }
    while (seen.has(next)) next++;
    if (!reported || reported.status !== progress.status || reported.done !== progress.done) {
      reported = progress;
      options.onProgress?.(progress);
    }
    yield { progress, fresh: fresh.sort((a, b) => a.index - b.index) };
    if (FINAL_BATCH_STATUSES.has(progress.status)) return;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new WaitTimeoutError(
        `Batch ${batchId} is still ${progress.status} (${progress.done}/${progress.total} done) after ${options.timeoutMs} ms.`,
        progress,
      );
    }
    delay = nextPollDelayMs(delay, fresh.length > 0, min, max);
    await sleep(Math.min(delay, remaining), options.signal);
  }
}

function unseen(results: BatchResult[], seen: Set<number>): BatchResult[] {
  const out: BatchResult[] = [];
  for (const r of results) {
    if (seen.has(r.index)) continue;
    seen.add(r.index);
    out.push(r);
  }
  return out;
}
