// A fresh CPython process per call: `python3 -c CODE`, spawned from Node with execFile, what
// ad-hoc agent backends do. Native CPython (the host's python3, not wasm) and no isolation
// beyond the process: a reference point for cost, not an equivalent sandbox.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Plan, Row, Skipped } from "../lib/results.ts";
import { measureFor } from "../lib/stats.ts";
import { checkOutput, workloadsNamed } from "../lib/workloads.ts";

const run = promisify(execFile);

export async function subprocessSection(
  plan: Plan,
  python3: string | null,
  why: string,
  log: (s: string) => void,
): Promise<{ rows: Row[]; skipped: Skipped[]; peakRssMb?: number }> {
  if (!python3) return { rows: [], skipped: [{ row: "subprocess/python3-c", reason: why }] };
  const rows: Row[] = [];
  for (const w of workloadsNamed(plan.workloads)) {
    const s = await measureFor(plan.subprocess, async () => (await run(python3, ["-c", w.code], { encoding: "utf8" })).stdout, (o) =>
      checkOutput(w, o, "python3 -c"),
    );
    rows.push({ section: "subprocess", row: "subprocess/python3-c", workload: w.name, ...s });
    log(`subprocess/python3-c ${w.name}: p50 ${s.p50_ms} ms (n=${s.n})`);
  }
  // Peak RSS of the smallest call (ru_maxrss is in KiB on Linux).
  const peak = await run(python3, ["-c", "print(2+2)\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"], { encoding: "utf8" });
  const peakRssMb = Math.round((Number(peak.stdout.trim().split("\n")[1]) / 1024) * 10) / 10;
  return { rows, skipped: [], peakRssMb };
}
