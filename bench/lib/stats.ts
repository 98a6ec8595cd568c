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

  summary(): Summary {
    const at = (p: number) => round(this.h.getValueAtPercentile(p) / 1000);
    return { n: this.h.totalCount, p50_ms: at(50), p90_ms: at(90), p99_ms: at(99), p999_ms: at(99.9), max_ms: round(this.h.maxValue / 1000) };
  }
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

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
