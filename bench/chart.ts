// `npm run bench:chart [-- results.json [out.svg]]`: an SVG chart (no browser, no dependency) of
// a results file: one panel per workload, a bar per row at its p50 and a whisker to its p99, on a
// log scale. Default input: the newest full run in bench/results/; default output: docs/benchmarks.svg.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { labelOf, orderRows } from "./lib/report.ts";
import type { Results } from "./lib/results.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/`/g, "");
const fmt = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);

const COLORS: Record<string, string> = { pyodide: "#8c8c8c", executor: "#2b7a3d", subprocess: "#b5651d", http: "#2f5d9e" };

export function renderSvg(res: Results): string {
  const workloads = res.workloads.filter((w) => res.rows.some((r) => r.workload === w.name));
  const all = res.rows.flatMap((r) => [r.p50_ms, r.p99_ms]).filter((x) => x > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const W = 980, LABEL = 340, PLOT = 500, ROW = 17, TITLE = 26, AXIS = 22;
  const x = (ms: number) => LABEL + ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PLOT;
  const parts: string[] = [];
  let y = 40;
  for (const w of workloads) {
    const rows = orderRows(res.rows.filter((r) => r.workload === w.name));
    parts.push(`<text x="10" y="${y + 16}" font-weight="bold">${esc(w.name)}: ${esc(w.title)}</text>`);
    const top = y + TITLE;
    for (let d = lo; d <= hi; d *= 10) {
      const gx = x(d).toFixed(1);
      parts.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${top + rows.length * ROW}" stroke="#ddd"/>`);
      parts.push(`<text x="${gx}" y="${top + rows.length * ROW + 14}" font-size="10" text-anchor="middle" fill="#666">${d >= 1 ? d : d.toPrecision(1)} ms</text>`);
    }
    rows.forEach((r, i) => {
      const ry = top + i * ROW;
      const color = COLORS[r.section] ?? "#555";
      parts.push(`<text x="${LABEL - 8}" y="${ry + 12}" font-size="11" text-anchor="end">${esc(labelOf(r.row))}</text>`);
      parts.push(`<rect x="${LABEL}" y="${ry + 2}" width="${Math.max(1, x(r.p50_ms) - LABEL).toFixed(1)}" height="${ROW - 5}" fill="${color}"/>`);
      parts.push(`<line x1="${x(r.p50_ms).toFixed(1)}" y1="${ry + 8}" x2="${x(r.p99_ms).toFixed(1)}" y2="${ry + 8}" stroke="#222"/>`);
      parts.push(`<line x1="${x(r.p99_ms).toFixed(1)}" y1="${ry + 4}" x2="${x(r.p99_ms).toFixed(1)}" y2="${ry + 12}" stroke="#222"/>`);
      const note = `${fmt(r.p50_ms)} (p99 ${fmt(r.p99_ms)}, n=${r.n}${r.throughput_per_s ? `, ${r.throughput_per_s}/s` : ""})`;
      parts.push(`<text x="${LABEL + PLOT + 8}" y="${ry + 12}" font-size="10" fill="#333">${esc(note)}</text>`);
    });
    y = top + rows.length * ROW + AXIS + 10;
  }
  const head = `Per call, p50 bar, p99 whisker, log scale. ${res.date}${res.quick ? " (quick)" : ""}: ${res.command}; ${res.machine.cpus} × ${res.machine.cpu_model}, load ${res.load.start[0]}→${res.load.end[0]}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="13">${esc(head)}</text>`,
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}

/** The newest full (or quick) run: the latest date, and that day's highest -N (bench/lib/result-path.ts). */
export function newestResults(dir: string, quick = false): string {
  const runs = readdirSync(dir).flatMap((f) => {
    const m = /^(\d{4}-\d\d-\d\d)(-quick)?(?:-(\d+))?\.json$/.exec(f);
    return m && Boolean(m[2]) === quick ? [{ f, date: m[1]!, n: Number(m[3] ?? 1) }] : [];
  });
  runs.sort((a, b) => a.date.localeCompare(b.date) || a.n - b.n);
  if (!runs.length) throw new Error(`no ${quick ? "quick " : ""}results in ${dir}; run npm run bench first`);
  return `${dir}${runs.at(-1)!.f}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  const input = process.argv[2] ?? newestResults(dir);
  const output = process.argv[3] ?? fileURLToPath(new URL("../docs/benchmarks.svg", import.meta.url));
  writeFileSync(output, renderSvg(JSON.parse(readFileSync(input, "utf8")) as Results));
  console.error(`wrote ${output} from ${input}`);
}
