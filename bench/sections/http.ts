// POST /v1/eval end to end over keep-alive HTTP (undici Pool) against `arbor serve` in its own
// process with `plan.workers` executors: sequentially (one connection) and at each concurrency
// (that many connections, closed loops). Latency per call and throughput (calls/s).
import { Pool } from "undici";
import { waitIdle } from "../lib/daemon.ts";
import type { Plan, Row } from "../lib/results.ts";
import { measureConcurrent, measureFor } from "../lib/stats.ts";
import { checkOutput, workloadsNamed, type Workload } from "../lib/workloads.ts";

function caller(pool: Pool, w: Workload, path = "/v1/eval") {
  const body = JSON.stringify({ code: w.code });
  return async () => {
    const res = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.body.text();
    return { status: res.statusCode, text };
  };
}

export function checkEval(w: Workload, where: string) {
  return (r: { status: number; text: string }) => {
    if (r.status !== 200) throw new Error(`${where} ${w.name}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    const body = JSON.parse(r.text) as { status: string; stdout: string; error: unknown };
    if (body.status !== "ok") throw new Error(`${where} ${w.name}: ${body.status} ${JSON.stringify(body.error)}`);
    checkOutput(w, body.stdout, where);
  };
}

export async function httpSection(plan: Plan, url: string, log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const workloads = workloadsNamed(plan.workloads);
  const seq = new Pool(url, { connections: 1 });
  for (const w of workloads) {
    await waitIdle(url);
    const s = await measureFor(plan.row, caller(seq, w), checkEval(w, "http/sequential"));
    const throughput = Math.round((s.n / s.wall_ms) * 1000 * 10) / 10;
    rows.push({ section: "http", row: "http/sequential", workload: w.name, concurrency: 1, throughput_per_s: throughput, ...s });
    log(`http/sequential ${w.name}: p50 ${s.p50_ms} ms, ${throughput} calls/s (n=${s.n})`);
  }
  await seq.close();
  for (const c of plan.concurrency) {
    const pool = new Pool(url, { connections: c });
    for (const w of workloads) {
      await waitIdle(url);
      const s = await measureConcurrent(c, plan.concurrent, caller(pool, w), checkEval(w, `http/c${c}`));
      rows.push({ section: "http", row: `http/concurrency-${c}`, workload: w.name, concurrency: c, ...s });
      log(`http/concurrency-${c} ${w.name}: p50 ${s.p50_ms} ms, ${s.throughput_per_s} calls/s (n=${s.n})`);
    }
    await pool.close();
  }
  return rows;
}
