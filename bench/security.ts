// Per-call cost of each confinement layer: the same executor launched with no OS layer, then
// with each layer added on its own, then with all of them; for each, boot time and the latency
// of a tiny call and of a call that works the restore (writes memory and files). The in-process
// layers (wasm imports, removed builtins, frozen intrinsics) act once at boot and are always on.
//   node --import tsx bench/security.ts [--calls N]
// Writes bench/results/security.json and prints a markdown table.
import { mkdirSync, writeFileSync } from "node:fs";
import { resetConfinementPlan, confinementPlan } from "../runtime/src/host/confine/layers.ts";
import { ExecutorProcess } from "../runtime/src/host/executor-process.ts";
import type { Job } from "../runtime/src/protocol/messages.ts";

const ALL = ["landlock", "uid", "seccomp", "node_permission", "wasm_memory_cap"];
const callsArg = process.argv.indexOf("--calls");
const CALLS = callsArg > 0 ? Number(process.argv[callsArg + 1]) : 300;

const VARIANTS: { name: string; on: string[] }[] = [
  { name: "no OS layer", on: [] },
  { name: "+ node permission model", on: ["node_permission"] },
  { name: "+ Landlock", on: ["landlock"] },
  { name: "+ unprivileged uid", on: ["uid"] },
  { name: "+ seccomp", on: ["seccomp"] },
  { name: "+ wasm memory cap", on: ["wasm_memory_cap"] },
  { name: "all layers", on: ALL },
];

const TINY: Job = { code: "1 + 1", timeout_ms: 5000, memory_mb: 256, max_output_bytes: 1 << 20 };
const WORK: Job = {
  code: "import json\nd = {str(i): list(range(20)) for i in range(2000)}\nopen('/workspace/o.json', 'w').write(json.dumps(d))\nlen(json.loads(open('/workspace/o.json').read()))",
  timeout_ms: 5000,
  memory_mb: 256,
  max_output_bytes: 1 << 20,
};

interface Row {
  variant: string;
  boot_ms: number;
  strategy: string;
  tiny_p50_ms: number;
  tiny_mean_ms: number;
  work_p50_ms: number;
  work_mean_ms: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(ex: ExecutorProcess, job: Job): Promise<number[]> {
  for (let i = 0; i < 20; i++) await ex.run(job); // warm up (hot pages, JIT)
  const out: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    const o = await ex.run(job);
    out.push(performance.now() - t);
    if (o.status !== "ok") throw new Error(`bench call failed: ${JSON.stringify(o.error)}`);
  }
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const rows: Row[] = [];
for (const variant of VARIANTS) {
  process.env.ARBOR_CONFINE_DISABLE = ALL.filter((l) => !variant.on.includes(l)).join(",");
  resetConfinementPlan();
  const plan = confinementPlan();
  const missing = variant.on.filter((l) => !(plan as unknown as Record<string, { active: boolean }>)[l]?.active);
  if (missing.length > 0) {
    console.error(`skipping '${variant.name}': not available here (${missing.join(", ")})`);
    continue;
  }
  const ex = await ExecutorProcess.spawn({});
  const tiny = await measure(ex, TINY);
  const work = await measure(ex, WORK);
  ex.kill("killed_shutdown");
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  rows.push({
    variant: variant.name,
    boot_ms: ex.info.boot_ms,
    strategy: ex.info.strategy,
    tiny_p50_ms: round(percentile(tiny, 50)),
    tiny_mean_ms: round(mean(tiny)),
    work_p50_ms: round(percentile(work, 50)),
    work_mean_ms: round(mean(work)),
  });
  console.error(`${variant.name}: done`);
}

const header = "| layers | boot ms | restore | tiny call p50 ms | tiny mean | restore-heavy call p50 ms | heavy mean |\n|---|---|---|---|---|---|---|";
const lines = rows.map((r) => `| ${r.variant} | ${r.boot_ms} | ${r.strategy} | ${r.tiny_p50_ms} | ${r.tiny_mean_ms} | ${r.work_p50_ms} | ${r.work_mean_ms} |`);
console.log([header, ...lines].join("\n"));
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/security.json", import.meta.url), `${JSON.stringify({ calls: CALLS, rows }, null, 2)}\n`);
