// The shape of the "cluster" section's results (results.json `cluster`) and its markdown.
import type { Summary } from "../lib/stats.ts";

export interface ClusterThroughputRow {
  /** e.g. "1 daemon behind HAProxy". */
  row: string;
  daemons: number;
  concurrency: number;
  calls: number;
  calls_per_s: number;
  /** calls_per_s ÷ the one-daemon row's. */
  ratio: number;
  latency: Summary;
}

export interface ClusterForkRow {
  row: string;
  latency: Summary;
  /** p50 of the executor's own timing fields of the branch (restore, exec, the whole call). */
  restore_p50_ms: number;
  exec_p50_ms: number;
  call_total_p50_ms: number;
  /** p50 ÷ the warm row's p50. */
  ratio_p50: number;
}

export interface ClusterForkThroughputRow {
  daemons: number;
  /** Branches per fork request. */
  branches: number;
  requests: number;
  forks_per_s: number;
  /** forks_per_s ÷ the one-daemon row's. */
  ratio: number;
  /** Per fork request. */
  latency: Summary;
}

export interface ClusterReport {
  workers_per_daemon: number;
  cpus: number;
  programs: number;
  throughput: ClusterThroughputRow[];
  /** Bytes of the forked state (GET /v1/states/{id} `bytes`). */
  state_bytes: number;
  forks: ClusterForkRow[];
  /** Fork requests through HAProxy, in closed loops, with 1 daemon behind it and then all of them. */
  fork_throughput?: ClusterForkThroughputRow[];
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function clusterMarkdown(r: ClusterReport): string[] {
  const out: string[] = [];
  out.push("## Cluster (`--only cluster`)");
  out.push("");
  out.push(
    `Daemons in redis mode (\`states.store: "redis"\`) on one real redis-server, HAProxy (leastconn) in front, ${r.workers_per_daemon} executor(s) per daemon, all on this ${r.cpus}-core machine. Throughput: the realistic corpus (${r.programs} programs, each answer's verdict checked) through HAProxy, in closed loops; the ratio is calls/s against the one-daemon row. On one machine the daemons share its cores: the ratio shows what adding daemons gives until the cores are used up, and what the cluster path costs (HAProxy, Redis), not the scaling of separate machines.`,
  );
  out.push("");
  out.push("| row | daemons | concurrency | calls | calls/s | × 1 daemon | p50 ms | p90 ms | p99 ms |");
  out.push("|---|---|---|---|---|---|---|---|---|");
  for (const x of r.throughput) {
    out.push(`| ${x.row} | ${x.daemons} | ${x.concurrency} | ${x.calls} | ${x.calls_per_s.toFixed(1)} | ${x.ratio.toFixed(2)}× | ${ms(x.latency.p50_ms)} | ${ms(x.latency.p90_ms)} | ${ms(x.latency.p99_ms)} |`);
  }
  out.push("");
  out.push(
    `Fork of a state made on another daemon (one branch, a ${(r.state_bytes / 1024 / 1024).toFixed(2)} MiB state): **cold** = a new state each time, so the forking daemon fetches its envelope from Redis and sends it to its executor; **warm** = the same state again, in the daemon's envelope cache and held by its executor. Ratio: p50 against the warm row. The last columns are the branch's own \`timing\` (p50): what the call took once scheduled; the rest of the wall time is the daemon's lookup, fetch and transfer.`,
  );
  out.push("");
  if (r.fork_throughput?.length) {
    out.push(`Forks through HAProxy: fork requests of ${r.fork_throughput[0]!.branches} branches each on one state (made through HAProxy, so any daemon may fetch it from Redis first), in closed loops at the same concurrency, with 1 daemon behind HAProxy and then ${r.fork_throughput.at(-1)!.daemons}.`);
    out.push("");
    out.push("| daemons | requests | forks/s | × 1 daemon | p50 ms per request | p99 ms |");
    out.push("|---|---|---|---|---|---|");
    for (const x of r.fork_throughput) out.push(`| ${x.daemons} | ${x.requests} | ${x.forks_per_s.toFixed(0)} | ${x.ratio.toFixed(2)}× | ${ms(x.latency.p50_ms)} | ${ms(x.latency.p99_ms)} |`);
    out.push("");
  }
  out.push("| row | n | p50 ms | p90 ms | p99 ms | max ms | p50 × warm | call total_ms | restore_ms | exec_ms |");
  out.push("|---|---|---|---|---|---|---|---|---|---|");
  for (const f of r.forks) {
    out.push(
      `| ${f.row} | ${f.latency.n} | ${ms(f.latency.p50_ms)} | ${ms(f.latency.p90_ms)} | ${ms(f.latency.p99_ms)} | ${ms(f.latency.max_ms)} | ${f.ratio_p50.toFixed(2)}× | ${ms(f.call_total_p50_ms)} | ${ms(f.restore_p50_ms)} | ${ms(f.exec_p50_ms)} |`,
    );
  }
  out.push("");
  return out;
}
