// Interpreter speed, not call overhead: the bench/compute/ suite (each benchmark times itself inside
// Python) run natively with python3 and in Arbor over HTTP in one run, alternating the two sides
// run by run so machine noise hits both alike. Ratio per benchmark (Arbor ÷ native) and their
// geometric mean.
import { Pool } from "undici";
import { waitIdle } from "../lib/daemon.ts";
import type { Plan } from "../lib/results.ts";
import { round } from "../lib/stats.ts";
import { loadComputeSuite, parseComputeOutput, type ComputeBench, type ComputeResult } from "../compute/suite.ts";
import { runNative } from "../workloads/native.ts";
import type { ComputeReport, ComputeRow } from "./compute-report.ts";

/** The daemon's maximum: a slow benchmark in a slow build should report, not time out. */
const TIMEOUT_MS = 60_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function native(python3: string, b: ComputeBench): Promise<ComputeResult> {
  const r = await runNative(python3, ["-"], b.code, TIMEOUT_MS);
  if (r.code !== 0) throw new Error(`compute ${b.name} (python3): exit ${r.code} ${r.stderr.slice(-500)}`);
  return parseComputeOutput(b, r.stdout);
}

async function arbor(pool: Pool, b: ComputeBench): Promise<ComputeResult> {
  const res = await pool.request({
    path: "/v1/eval",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: b.code, timeout_ms: TIMEOUT_MS }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`compute ${b.name} (Arbor): HTTP ${res.statusCode} ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { status: string; stdout: string; error: unknown };
  if (body.status !== "ok") throw new Error(`compute ${b.name} (Arbor): ${body.status} ${JSON.stringify(body.error).slice(0, 500)}`);
  return parseComputeOutput(b, body.stdout);
}

export async function computeSection(plan: Plan, url: string, python3: string | null, log: (s: string) => void): Promise<ComputeReport> {
  if (!python3) throw new Error("the compute section needs python3 (its baseline)");
  const runs = plan.quick ? 1 : 3;
  const pool = new Pool(url, { connections: 1 });
  const rows: ComputeRow[] = [];
  try {
    for (const b of loadComputeSuite()) {
      await waitIdle(url);
      const native_runs: number[] = [];
      const arbor_runs: number[] = [];
      let iterations = 0;
      for (let i = 0; i < runs; i++) {
        const n = await native(python3, b);
        native_runs.push(n.ms_per_iter);
        arbor_runs.push((await arbor(pool, b)).ms_per_iter);
        iterations = n.iterations;
      }
      const native_ms = median(native_runs);
      const arbor_ms = median(arbor_runs);
      rows.push({ bench: b.name, title: b.title, iterations, native_ms, arbor_ms, native_runs, arbor_runs, ratio: round(arbor_ms / native_ms, 2) });
      log(`compute ${b.name}: native ${native_ms} ms/iter, Arbor ${arbor_ms} ms/iter (${rows.at(-1)!.ratio}×)`);
    }
  } finally {
    await pool.close();
  }
  const geomean = round(Math.exp(rows.reduce((a, r) => a + Math.log(r.ratio), 0) / rows.length), 2);
  return { runs, rows, geomean };
}
