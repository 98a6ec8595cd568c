// `npm run bench -- --only cluster`: Arbor as a cluster on this machine. Three `arbor serve`
// processes in redis mode on one real redis-server, a real HAProxy in front (the same services
// the cluster test starts: daemon/test/support/). Rows:
//   throughput  the realistic corpus through HAProxy with 1 daemon behind it, then 3 (calls/s,
//               latency percentiles, ratio to 1 daemon); every verdict is checked
//   forks/s     fork requests (64 branches) on one state through HAProxy, 1 daemon then 3
//   fork        a state made on daemon A forked on daemon B: cold (a new state each time: the
//               envelope comes from Redis and goes to B's executor) vs warm (the same state
//               again: in B's cache and held by its executor)
import { Pool } from "undici";
import { DaemonProcess } from "../../daemon/test/support/daemon-process.ts";
import { Haproxy, RedisServer } from "../../daemon/test/support/services.ts";
import { describeMachine } from "../lib/machine.ts";
import type { Plan } from "../lib/results.ts";
import { Recorder, round } from "../lib/stats.ts";
import { loadCorpus, type CorpusEntry } from "../workloads/corpus.ts";
import type { ClusterForkRow, ClusterForkThroughputRow, ClusterReport, ClusterThroughputRow } from "./cluster-report.ts";

const WORKERS_PER_DAEMON = 1;
const DAEMONS = 3;
/** Enough closed loops to keep every executor of 3 daemons busy. */
const CONCURRENCY = 2 * DAEMONS * WORKERS_PER_DAEMON;
/** The forked state: a 10^5-element list (≈1.7 MiB stored), as in the branching section. */
const STATE_CODE = "data = list(range(100_000))\nlabel = 'root'";
const BRANCH = { code: "print(len(data), label)" };
/** Branches per fork request in the forks/s rows. */
const FORK_BRANCHES = 64;

async function post(pool: Pool, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : null };
}

/** Every program in closed loops through `url`; throws on a wrong verdict (no row is fast by failing). */
async function throughput(url: string, programs: CorpusEntry[], daemons: number): Promise<Omit<ClusterThroughputRow, "ratio">> {
  const pool = new Pool(url, { connections: CONCURRENCY, pipelining: 1 });
  const latency = new Recorder();
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < programs.length) {
          const entry = programs[next++]!;
          const t = performance.now();
          const r = await post(pool, "/v1/eval", { code: entry.code, timeout_ms: 30_000 });
          latency.record(performance.now() - t);
          const verdict = r.body?.status === "ok" ? "pass" : r.body?.status === "error" ? "fail" : `HTTP ${r.status} ${r.body?.status ?? r.body?.error?.code}`;
          if (verdict !== entry.expect) throw new Error(`cluster bench: ${entry.name} gave ${verdict}, expected ${entry.expect}`);
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const wall = performance.now() - started;
  return {
    row: `${daemons} daemon${daemons > 1 ? "s" : ""} behind HAProxy`,
    daemons,
    concurrency: CONCURRENCY,
    calls: programs.length,
    calls_per_s: round((programs.length / wall) * 1000, 2),
    latency: latency.summary(),
  };
}

/** Fork requests of `branches` branches on one state, in closed loops through `url`; every answer checked. */
async function forkThroughput(url: string, daemons: number, branches: number, requests: number): Promise<Omit<ClusterForkThroughputRow, "ratio">> {
  const pool = new Pool(url, { connections: CONCURRENCY, pipelining: 1 });
  const latency = new Recorder();
  try {
    const id = await createState(pool);
    const body = { branches: Array.from({ length: branches }, () => BRANCH) };
    let sent = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < requests) {
          sent++;
          const t = performance.now();
          const r = await post(pool, `/v1/states/${id}/fork`, body);
          latency.record(performance.now() - t);
          const results = r.body?.results;
          if (r.status !== 200 || !Array.isArray(results) || results.some((x: any) => x.stdout !== "100000 root\n")) {
            throw new Error(`cluster bench: fork through HAProxy gave ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
          }
        }
      }),
    );
    const wall = performance.now() - started;
    return { daemons, branches, requests, forks_per_s: round((branches * requests * 1000) / wall, 1), latency: latency.summary() };
  } finally {
    await pool.close();
  }
}

async function createState(pool: Pool): Promise<string> {
  const r = await post(pool, "/v1/states", { code: STATE_CODE });
  if (r.status !== 201) throw new Error(`cluster bench: POST /v1/states gave ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.state_id as string;
}

/** A fork's wall time, and where the executor says its part went (the rest is the daemon's). */
class ForkRecorder {
  readonly wall = new Recorder();
  readonly restore = new Recorder();
  readonly exec = new Recorder();
  readonly call = new Recorder();

  summary(): Omit<ClusterForkRow, "row" | "ratio_p50"> {
    return { latency: this.wall.summary(), restore_p50_ms: this.restore.summary().p50_ms, exec_p50_ms: this.exec.summary().p50_ms, call_total_p50_ms: this.call.summary().p50_ms };
  }
}

async function timedFork(pool: Pool, id: string, into: ForkRecorder): Promise<void> {
  const t = performance.now();
  const r = await post(pool, `/v1/states/${id}/fork`, { branches: [BRANCH] });
  into.wall.record(performance.now() - t);
  const result = r.body?.results?.[0];
  if (r.status !== 200 || result?.stdout !== "100000 root\n") throw new Error(`cluster bench: fork gave ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  into.restore.record(result.timing.restore_ms);
  into.exec.record(result.timing.exec_ms);
  into.call.record(result.timing.total_ms);
}

async function forks(maker: string, forker: string, n: number): Promise<{ rows: ClusterForkRow[]; stateBytes: number }> {
  const a = new Pool(maker, { connections: 1 });
  const b = new Pool(forker, { connections: 1 });
  try {
    const cold = new ForkRecorder();
    for (let i = 0; i < n; i++) {
      const id = await createState(a);
      await timedFork(b, id, cold);
      await a.request({ path: `/v1/states/${id}`, method: "DELETE" }).then((r) => r.body.dump());
    }
    const warmId = await createState(a);
    const warm = new ForkRecorder();
    await timedFork(b, warmId, new ForkRecorder()); // the first is cold: not recorded
    for (let i = 0; i < n; i++) await timedFork(b, warmId, warm);
    const info = await b.request({ path: `/v1/states/${warmId}`, method: "GET" });
    const stateBytes = ((await info.body.json()) as { bytes: number }).bytes;
    const w = warm.summary();
    const c = cold.summary();
    return {
      stateBytes,
      rows: [
        { row: "warm: state cached on the forking daemon, held by its executor", ...w, ratio_p50: 1 },
        { row: "cold: envelope fetched from Redis, sent to the executor", ...c, ratio_p50: round(c.latency.p50_ms / w.latency.p50_ms, 2) },
      ],
    };
  } finally {
    await a.close();
    await b.close();
  }
}

export async function clusterSection(plan: Plan, log: (s: string) => void): Promise<ClusterReport> {
  const redis = await RedisServer.start();
  const daemons: DaemonProcess[] = [];
  let proxy: Haproxy | undefined;
  try {
    const config = { workers: WORKERS_PER_DAEMON, log: { level: "warn" }, states: { store: "redis", redis_url: redis.url } };
    for (let i = 0; i < DAEMONS; i++) {
      log(`  starting daemon ${i + 1}/${DAEMONS}`);
      daemons.push(await DaemonProcess.start(config));
    }
    const all = loadCorpus();
    const programs = plan.quick ? all.filter((_, i) => i % 5 === 0) : all;

    proxy = await Haproxy.start([{ port: daemons[0]!.port }], { checkIntervalMs: 200 });
    await proxy.waitForServers(["UP"]);
    log(`  throughput, 1 daemon: ${programs.length} programs at concurrency ${CONCURRENCY}`);
    const one = await throughput(proxy.url, programs, 1);
    const forkRequests = plan.quick ? 12 : 60;
    log(`  forks through HAProxy, 1 daemon: ${forkRequests} requests of ${FORK_BRANCHES} branches`);
    const forksOne = await forkThroughput(proxy.url, 1, FORK_BRANCHES, forkRequests);
    await proxy.restart(daemons.map((d) => ({ port: d.port })));
    await proxy.waitForServers(["UP", "UP", "UP"]);
    log(`  throughput, ${DAEMONS} daemons`);
    const three = await throughput(proxy.url, programs, DAEMONS);
    log(`  forks through HAProxy, ${DAEMONS} daemons`);
    const forksThree = await forkThroughput(proxy.url, DAEMONS, FORK_BRANCHES, forkRequests);

    const n = plan.quick ? 5 : 30;
    log(`  forks of a remote state, cold and warm (${n} each)`);
    const fork = await forks(daemons[0]!.url, daemons[1]!.url, n);
    return {
      workers_per_daemon: WORKERS_PER_DAEMON,
      cpus: describeMachine("", "").cpus,
      programs: programs.length,
      throughput: [one, three].map((r) => ({ ...r, ratio: round(r.calls_per_s / one.calls_per_s, 2) })),
      state_bytes: fork.stateBytes,
      forks: fork.rows,
      fork_throughput: [forksOne, forksThree].map((r) => ({ ...r, ratio: round(r.forks_per_s / forksOne.forks_per_s, 2) })),
    };
  } finally {
    await proxy?.dispose();
    await Promise.all(daemons.map((d) => d.stop()));
    await redis.dispose();
  }
}
