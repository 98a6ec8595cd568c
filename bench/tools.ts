// `npm run bench:tools` (≈1–2 min; the first run also builds the test components, ≈1 min):
// a WebAssembly tool call from Python next to a shell call and a plain Python function
// (bench/sections/tools.ts). Writes bench/results/<date>-tools.{json,md} and prints the table.
// --quick: shorter budgets.
import { writeFileSync } from "node:fs";
import { describeMachine, load } from "./lib/machine.ts";
import { toolsSection, type ToolRow } from "./sections/tools.ts";
import { resultBase } from "./lib/result-path.ts";

const quick = process.argv.includes("--quick");
const budget = quick ? { maxN: 300, budgetMs: 1500, minN: 10, warmup: 5 } : { maxN: 3000, budgetMs: 8000, minN: 30, warmup: 20 };
const loadStart = load();
const { rows, layers } = await toolsSection(budget, (s) => console.error(s));
const loadEnd = load();

function table(rs: ToolRow[]): string {
  const lines = [
    "| Python call | p50 | p99 | n | × plain function (p50) | the host call alone, p50 / p99 |",
    "|---|---|---|---|---|---|",
    ...rs.map((r) => `| ${r.what} | ${r.p50_ms} ms | ${r.p99_ms} ms | ${r.n} | ${r.ratio_p50} | ${r.host_call ? `${r.host_call.p50_ms} / ${r.host_call.p99_ms} ms` : "—"} |`),
  ];
  return lines.join("\n");
}

const date = new Date().toISOString().slice(0, 10);
const machine = describeMachine("314.0.7", "");
const inactive = Object.entries(layers).filter(([, l]) => !l.active).map(([n]) => n);
const md = [
  `## Tools (${date}${quick ? ", quick" : ""})`,
  "",
  `\`npm run bench:tools${quick ? " -- --quick" : ""}\` — one executor, the daemon's call path in process (no HTTP); load ${loadStart.join(" ")} → ${loadEnd.join(" ")}; ${machine.cpus} cores.`,
  `Tool host confinement: ${inactive.length ? `inactive: ${inactive.join(", ")}` : "every layer active"}.`,
  "",
  table(rows),
].join("\n");
const base = resultBase(`${date}-tools${quick ? "-quick" : ""}`);
writeFileSync(`${base}.json`, `${JSON.stringify({ date, quick, load: { start: loadStart, end: loadEnd }, machine, rows, layers }, null, 2)}\n`);
writeFileSync(`${base}.md`, `${md}\n`);
console.log(md);
