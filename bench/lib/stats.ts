// Latency recording with hdr-histogram-js: percentiles, never a single number.
import * as hdr from "hdr-histogram-js";

export interface Summary {
  n: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p999_ms: number;
  max_ms: number;
}

export class Recorder {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

  /** Records one duration in milliseconds (microsecond resolution). */
  record(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.h.totalCount;
  }

  summary(): Summary {
    const at = (p: number) => round(this.h.getValueAtPercentile(p) / 1000);
    return { n: this.h.totalCount, p50_ms: at(50), p90_ms: at(90), p99_ms: at(99), p999_ms: at(99.9), max_ms: round(this.h.maxValue / 1000) };
  }
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A fixed number of calls after `warmup` unrecorded ones (bench/restore.ts, soak). */
export async function measure(iterations: number, fn: () => Promise<unknown> | unknown, warmup = Math.min(50, iterations)): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn();
  const r = new Recorder();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    r.record(performance.now() - t);
  }
  return r.summary();
}

export interface Budget {
  /** Stop after this many recorded calls... */
  maxN: number;
  /** ...or once this much time has passed, but never before minN calls. */
  budgetMs: number;
  minN: number;
  /** Unrecorded calls first (imports, JIT, caches); at most budgetMs/4 of time is spent on them. */
  warmup: number;
}

export interface Timed extends Summary {
  /** Wall time of the recorded calls (for throughput). */
  wall_ms: number;
}

/**
 * Sequential calls under a time budget: slow rows get few iterations (n says how many), fast
 * rows many. `fn` may return a value for `check` (the first and the last result are checked).
 */
export async function measureFor<T>(budget: Budget, fn: () => Promise<T> | T, check?: (v: T) => void): Promise<Timed> {
  const warmEnd = performance.now() + budget.budgetMs / 4;
  for (let i = 0; i < budget.warmup && (i === 0 || performance.now() < warmEnd); i++) {
    const v = await fn();
    if (i === 0) check?.(v);
  }
  const r = new Recorder();
  const start = performance.now();
  let last: T | undefined;
  while (r.count < budget.maxN && (r.count < budget.minN || performance.now() - start < budget.budgetMs)) {
    const t = performance.now();
    last = await fn();
    r.record(performance.now() - t);
  }
  const wall = performance.now() - start;
  if (last !== undefined) check?.(last);
  return { ...r.summary(), wall_ms: round(wall, 1) };
}

/**
 * `concurrency` closed loops sharing one budget; latency per call and throughput over the wall
 * time of the recorded phase.
 */
export async function measureConcurrent<T>(
  concurrency: number,
  budget: Budget,
  fn: () => Promise<T>,
  check?: (v: T) => void,
): Promise<Timed & { throughput_per_s: number }> {
  // Warm-up: one round at full concurrency.
  const warm = await Promise.all(Array.from({ length: concurrency }, () => fn()));
  check?.(warm[0]!);
  const r = new Recorder();
  const start = performance.now();
  let started = 0;
  const loop = async () => {
    while (started < budget.maxN && (started < budget.minN || performance.now() - start < budget.budgetMs)) {
      started++;
      const t = performance.now();
      const v = await fn();
      r.record(performance.now() - t);
      check?.(v);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const wall = performance.now() - start;
  return { ...r.summary(), wall_ms: round(wall, 1), throughput_per_s: round((r.count / wall) * 1000, 1) };
}
