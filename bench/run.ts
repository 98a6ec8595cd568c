// `npm run bench`: Arbor's per-call cost measured in one run on this machine, as percentiles and
// as ratios to the first row. Rows:
//   executor/protocol-round-trip  a ping frame to the executor and back (no Python)
//   executor/<strategy>  a fresh interpreter per call through an executor process (pipe round
//                        trip + run + restore), for every restore strategy this machine has
//   http/sequential      POST /v1/eval end to end over keep-alive HTTP (undici)
// Writes bench/results/<date>.json and prints a markdown table. --quick runs fewer iterations.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { Pool as HttpPool } from "undici";
import { ExecutorProcess } from "../runtime/src/host/executor-process.ts";
import { availableFactories } from "../runtime/src/restore/select.ts";
import { createArbor } from "../daemon/src/app.ts";
import { loadConfig } from "../daemon/src/config/index.ts";
import { measure, round, type Summary } from "./lib/stats.ts";

const WORKLOADS: Record<string, string> = {
  trivial: "print(2+2)",
  json: "import json\nd = {'items': [{'id': i, 'name': f'n{i}', 'tags': ['a', 'b']} for i in range(200)]}\ns = json.dumps(d)\nlen(json.loads(s)['items'])",
};

interface Row extends Summary {
  row: string;
  workload: string;
  ratio_p50: number;
}

export async function runBench(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const n = quick ? 200 : 2000;
  const rows: Omit<Row, "ratio_p50">[] = [];
  const job = (code: string) => ({ code, timeout_ms: 10_000, memory_mb: 256, max_output_bytes: 1 << 20 });

  for (const factory of await availableFactories()) {
    const probe = factory.probe();
    if (!probe.ok) {
      console.error(`skip executor/${factory.name}: ${probe.reason}`);
      continue;
    }
    const ex = await ExecutorProcess.spawn({ strategy: factory.name });
    if (rows.length === 0) {
      // The daemon↔executor protocol alone: one tiny frame each way over the fd-3 socket pair.
      const s = await measure(n, () => ex.ping());
      rows.push({ row: "executor/protocol-round-trip", workload: "ping", ...s });
      console.error(`executor ping: p50 ${s.p50_ms} ms`);
    }
    for (const [workload, code] of Object.entries(WORKLOADS)) {
      const s = await measure(n, () => ex.run(job(code)));
      rows.push({ row: `executor/${factory.name}`, workload, ...s });
      console.error(`executor/${factory.name} ${workload}: p50 ${s.p50_ms} ms`);
    }
    ex.kill("killed_shutdown");
  }

  const arbor = await createArbor({ config: loadConfig({ argv: [], env: { ARBOR_WORKERS: "1" } }) });
  await arbor.ready();
  // The warm spare boots after ready(); measure once nothing is booting in the background.
  while (arbor.services.pool.stats().booting > 0) await new Promise((r) => setTimeout(r, 100));
  const base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  const http = new HttpPool(base, { connections: 1 });
  for (const [workload, code] of Object.entries(WORKLOADS)) {
    const body = JSON.stringify({ code });
    const s = await measure(n, async () => {
      const res = await http.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body });
      await res.body.text();
    });
    rows.push({ row: "http/sequential", workload, ...s });
    console.error(`http/sequential ${workload}: p50 ${s.p50_ms} ms`);
  }
  await http.close();
  await arbor.close();

  const firstP50 = new Map<string, number>();
  for (const r of rows) if (!firstP50.has(r.workload)) firstP50.set(r.workload, r.p50_ms);
  const withRatio: Row[] = rows.map((r) => ({ ...r, ratio_p50: round(r.p50_ms / firstP50.get(r.workload)!, 2) }));

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${process.platform} ${process.arch}`;
  const table = [
    `| row | workload | n | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | p50 ÷ first row |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...withRatio.map((r) => `| ${r.row} | ${r.workload} | ${r.n} | ${r.p50_ms} | ${r.p90_ms} | ${r.p99_ms} | ${r.p999_ms} | ${r.max_ms} | ${r.ratio_p50} |`),
  ].join("\n");
  console.log(`Machine: ${machine}\nCommand: npm run bench${quick ? " -- --quick" : ""}\n\n${table}`);
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${new Date().toISOString().slice(0, 10)}${quick ? "-quick" : ""}.json`;
  writeFileSync(file, `${JSON.stringify({ machine, quick, rows: withRatio }, null, 2)}\n`);
  console.error(`wrote ${file}`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runBench(process.argv.slice(2));
}
