// Pool and queue numbers into the metrics: gauges read at scrape time, and the pool's cumulative
// counters (hard kills, crashes, respawns) turned into counter increments by diffing.
import type { Metrics } from "../metrics.ts";
import type { PoolStats } from "../calls/pool.ts";

export interface PoolSource {
  stats(): PoolStats;
}

export class PoolMetrics {
  private seen = { hardKills: 0, crashes: 0, respawns: 0 };

  constructor(
    private readonly metrics: Metrics,
    private readonly pool: PoolSource,
    queueDepth: () => number,
  ) {
    metrics.setGaugeSource("pool_size", () => pool.stats().size);
    metrics.setGaugeSource("busy_workers", () => pool.stats().busy);
    metrics.setGaugeSource("queue_depth", queueDepth);
  }

  /** Call before rendering: brings the counters up to the pool's totals. */
  sync(): void {
    const now = this.pool.stats();
    // The pool counts only timeout kills as hard kills.
    for (let i = this.seen.hardKills; i < now.hardKills; i++) this.metrics.recordHardKill("timeout");
    for (let i = this.seen.crashes; i < now.crashes; i++) this.metrics.recordExecutorCrash();
    for (let i = this.seen.respawns; i < now.respawns; i++) this.metrics.recordExecutorRespawn();
    this.seen = { hardKills: now.hardKills, crashes: now.crashes, respawns: now.respawns };
  }
}
