// The shape of the "compute" section's results (results.json `compute`) and its markdown.
export interface ComputeRow {
  bench: string;
  title: string;
  iterations: number;
  /** Median over the runs of each side's ms per iteration (timed inside Python, after a warm-up). */
  native_ms: number;
  arbor_ms: number;
  /** Every run's ms per iteration, in order (to see warm-up and spread). */
  native_runs: number[];
  arbor_runs: number[];
  /** arbor_ms ÷ native_ms. */
  ratio: number;
}

export interface ComputeReport {
  runs: number;
  rows: ComputeRow[];
  /** Geometric mean of the ratios. */
  geomean: number;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

export function computeMarkdown(r: ComputeReport): string[] {
  const out: string[] = [];
  out.push("## Compute speed (`bench/compute/`)");
  out.push("");
  out.push(
    `Each benchmark times a fixed number of iterations with \`time.perf_counter\` inside Python after two warm-up iterations and checks a checksum; the same code runs in native python3 (a subprocess) and in Arbor (POST /v1/eval, a fresh interpreter per run). Median of ${r.runs} run(s) per side; the ratio is Arbor ÷ native (lower is better, 1 = native speed).`,
  );
  out.push("");
  out.push("| benchmark | what | iterations | native ms/iter | Arbor ms/iter | Arbor ÷ native |");
  out.push("|---|---|---|---|---|---|");
  for (const x of r.rows) out.push(`| ${x.bench} | ${x.title} | ${x.iterations} | ${fmt(x.native_ms)} | ${fmt(x.arbor_ms)} | ${x.ratio.toFixed(2)}× |`);
  out.push(`| **geometric mean** | | | | | **${r.geomean.toFixed(2)}×** |`);
  out.push("");
  return out;
}
