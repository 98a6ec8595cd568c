// Arbor's executor process, driven directly (no HTTP): per call = the job frame over the fd-3
// socket pair, the cell in a fresh interpreter, the result frame back. The executor restores after
// answering, so a call waits for the previous call's restore only if it arrives before the restore
// ends (sequential calls here do: the next job is sent as soon as the result arrives, so the row
// includes the restore). One row per restore strategy this machine has; the rest are skipped with
// the probe's reason. Also: the executor's RSS/PSS idle and after the calls.
import { ExecutorProcess } from "../../runtime/src/host/executor-process.ts";
import { availableFactories } from "../../runtime/src/restore/select.ts";
import { procMemory } from "../lib/machine.ts";
import type { MemoryReport, Plan, Row, Skipped } from "../lib/results.ts";
import { measure, measureFor, round, type Summary } from "../lib/stats.ts";
import { checkOutput, workloadsNamed } from "../lib/workloads.ts";

/** Preference order of the daemon (dirty is the default where the kernel allows it). */
const ORDER = ["dirty", "memcpy", "cow"];

export async function executorSection(plan: Plan, log: (s: string) => void): Promise<{
  rows: Row[];
  skipped: Skipped[];
  memory: MemoryReport["executors"];
  ping: Summary | null;
}> {
  const rows: Row[] = [];
  const skipped: Skipped[] = [];
  const memory: MemoryReport["executors"] = [];
  let ping: Summary | null = null;
  const factories = availableFactories().sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
  for (const factory of factories) {
    const probe = factory.probe();
    if (!probe.ok) {
      skipped.push({ row: `executor/${factory.name}`, reason: probe.reason });
      log(`skip executor/${factory.name}: ${probe.reason}`);
      continue;
    }
    const ex = await ExecutorProcess.spawn({ strategy: factory.name });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const idle = procMemory(ex.pid);
      if (ping === null) ping = await measure(plan.quick ? 200 : 2000, () => ex.ping());
      for (const w of workloadsNamed(plan.workloads)) {
        const job = { code: w.code, timeout_ms: 30_000, memory_mb: 256, max_output_bytes: 1 << 20 };
        const s = await measureFor(plan.row, () => ex.run(job), (o) => {
          if (o.status !== "ok") throw new Error(`executor/${factory.name} ${w.name}: ${o.status} ${JSON.stringify(o.error)}`);
          checkOutput(w, o.stdout, `executor/${factory.name}`);
        });
        rows.push({ section: "executor", row: `executor/${factory.name}`, workload: w.name, ...s });
        log(`executor/${factory.name} ${w.name}: p50 ${s.p50_ms} ms (n=${s.n})`);
      }
      const linear = (await ex.run({ code: "", timeout_ms: 5000, memory_mb: 256, max_output_bytes: 1024 })).memory_bytes;
      memory.push({
        strategy: factory.name,
        idle,
        after_calls: procMemory(ex.pid),
        baseline_mb: round(ex.info.baseline_bytes / 2 ** 20, 1),
        linear_memory_mb: round(linear / 2 ** 20, 1),
      });
    } finally {
      ex.kill("killed_shutdown");
    }
  }
  return { rows, skipped, memory, ping };
}
