// Spike 14's A/B (see README.md): child.mjs without (A) and with (B) the library warm-up, in
// alternating processes, so the host's drift hits both sides alike. Prints a summary per side.
//   node spikes/14-python-side/run.mjs [rounds=3] [hot=true] [passes=3]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [rounds = 3, hot = "true", passes = 3] = process.argv.slice(2);
const child = fileURLToPath(new URL("child.mjs", import.meta.url));
const sides = { A: [], B: [] };
for (let round = 0; round < Number(rounds); round++) {
  for (const [side, library] of round % 2 ? [["B", true], ["A", false]] : [["A", false], ["B", true]]) {
    const config = JSON.stringify({ library, hot: hot === "true", passes: Number(passes) });
    const out = execFileSync(process.execPath, ["--import", "tsx", child, config], { encoding: "utf8", maxBuffer: 1 << 28 });
    const line = out.split("\n").find((l) => l.startsWith("@@spike "));
    sides[side].push(JSON.parse(line.slice(8)));
    process.stderr.write(`round ${round} ${side} done\n`);
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const perProgram = (runs) => {
  const by = new Map();
  // Pass 0 of each process is its warm-up: every program meets the wasm code paths once.
  for (const run of runs) for (const r of run.rows) if (r.pass > 0) (by.get(r.name) ?? by.set(r.name, []).get(r.name)).push(r);
  return by;
};
const summary = {};
for (const [side, runs] of Object.entries(sides)) {
  const rows = runs.flatMap((r) => r.rows.filter((x) => x.pass > 0));
  const by = perProgram(runs);
  summary[side] = {
    boot_ms: runs.map((r) => Math.round(r.boot_ms)),
    exec_p50_sum_ms: [...by.values()].reduce((s, rs) => s + pct(rs.map((r) => r.exec_ms), 50), 0),
    exec_p50: pct(rows.map((r) => r.exec_ms), 50),
    restore_p50: pct(rows.map((r) => r.restore_ms), 50),
    restore_p99: pct(rows.map((r) => r.restore_ms), 99),
    written_p50: pct(rows.map((r) => r.written), 50),
    written_p90: pct(rows.map((r) => r.written), 90),
    exec_plus_restore_sum_ms: rows.reduce((s, r) => s + r.exec_ms + r.restore_ms, 0) / runs.length,
  };
}
const a = perProgram(sides.A);
const b = perProgram(sides.B);
let logSum = 0;
let n = 0;
const ratios = [];
for (const [name, rs] of a) {
  const ratio = pct(b.get(name).map((r) => r.exec_ms), 50) / pct(rs.map((r) => r.exec_ms), 50);
  ratios.push([name, ratio]);
  logSum += Math.log(ratio);
  n++;
}
ratios.sort((x, y) => x[1] - y[1]);
summary.exec_ratio_B_over_A = { geomean: Math.exp(logSum / n), best: ratios.slice(0, 5), worst: ratios.slice(-5) };
console.log(JSON.stringify(summary, null, 1));
