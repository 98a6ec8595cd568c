// The shape of the "workloads" section's results (results.json `corpus`) and its markdown.
import type { Summary } from "../lib/stats.ts";

export type CorpusMode = "arbor-http" | "python3-subprocess";

export interface CorpusRun {
  mode: CorpusMode;
  concurrency: number;
  /** Calls recorded: corpus entries × passes. */
  calls: number;
  wall_ms: number;
  programs_per_s: number;
  /** Client wall time per call (request to parsed answer; spawn to exit for python3). */
  wall: Summary;
  /** Arbor only: the daemon's own timing of each call, and wall − exec_ms. */
  queue?: Summary;
  restore?: Summary;
  /** How long a call waited for the previous call's restore to finish (timing.restore_wait_ms). */
  restore_wait?: Summary;
  exec?: Summary;
  total?: Summary;
  overhead?: Summary;
  /**
   * Arbor only: where the executors' time went. `exec_share`/`restore_share`: Σ exec_ms / Σ
   * restore_ms over the calls ÷ (workers × wall); `exec_bound_per_s`: programs/s if nothing but
   * Python took any time (calls ÷ (Σ exec_ms ÷ workers)), the ceiling cutting overhead can reach.
   */
  time_split?: { workers: number; exec_share: number; restore_share: number; exec_bound_per_s: number };
  /**
   * Arbor only: the unrecorded warm-up pass before the recorded ones (each entry once, code paths
   * still cold); `readyz`: GET /readyz on a connection of its own every ~3 ms during that pass.
   */
  first_pass?: { programs_per_s: number; exec: Summary; readyz?: Summary };
  /** Outcome counts (Arbor: status; python3: pass/fail by exit code). */
  outcomes: Record<string, number>;
  /** Calls whose verdict differs from native python3's for the same entry. */
  disagreements: string[];
}

export interface ExecVsNative {
  /** Programs compared (correct variants). */
  programs: number;
  /** Geometric mean and median of Arbor exec_ms ÷ native warm (compile + exec, repeated in one process) ms. */
  geomean: number;
  p50: number;
  /** The same against native cold: the first run in a fresh python3 that has Arbor's preloaded modules imported. */
  geomean_cold: number;
  p50_cold: number;
  /** The programs with the largest ratios (against warm). */
  slowest: Array<{ program: string; exec_ms: number; native_ms: number; native_cold_ms: number; ratio: number; ratio_cold: number }>;
  /** Sums over programs: where the corpus's time goes. */
  sum_exec_ms: number;
  sum_native_ms: number;
  sum_native_cold_ms: number;
}

export interface CorpusReport {
  programs: number;
  entries: number;
  categories: string[];
  passes: number;
  /** Native (compile + exec) ms of the correct programs, measured in this run. */
  native_ms: { p50: number; p90: number; max: number; over_20ms: number; sum: number };
  runs: CorpusRun[];
  /** `exec_bound_ratio`: the Arbor row's exec_bound_per_s ÷ python3's programs/s (the ratio with zero overhead). */
  ratios: Array<{ concurrency: number; arbor_per_s: number; python3_per_s: number; ratio: number; exec_bound_ratio?: number }>;
  /** python3 verdicts against the corpus's expected ones (a corpus defect when not empty). */
  native_vs_expected: string[];
  exec_vs_native?: ExecVsNative;
  print_http?: Summary;
  readyz?: Summary;
  /** print(2+2) p50 ÷ GET /readyz p50, both over the same keep-alive connection. */
  print_over_readyz?: number;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const pp = (s: Summary | undefined) => (s ? `${fmt(s.p50_ms)} / ${fmt(s.p99_ms)}` : "–");
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const MODE: Record<CorpusMode, string> = { "arbor-http": "Arbor over HTTP (keep-alive)", "python3-subprocess": "`python3` subprocess per program" };

export function corpusMarkdown(r: CorpusReport): string[] {
  const out: string[] = [];
  out.push("## Realistic workloads (`bench/workloads/`)");
  out.push("");
  out.push(
    `${r.programs} programs (function or class + asserts; ${r.categories.length} categories: ${r.categories.join(", ")}), each with a correct variant that passes and a broken one that fails: ${r.entries} entries, ${r.passes} pass(es) per row in a shuffled fixed order. ` +
      `Native time of a correct program (compile + exec, measured in this run): p50 ${fmt(r.native_ms.p50)} ms, p90 ${fmt(r.native_ms.p90)} ms, max ${fmt(r.native_ms.max)} ms, ${r.native_ms.over_20ms} over 20 ms; ${fmt(r.native_ms.sum)} ms for all of them.`,
  );
  out.push("");
  out.push("| row | concurrency | calls | programs/s | wall p50 / p99 ms | queue_ms | restore_ms | restore_wait_ms | exec_ms | total_ms | overhead = wall − exec_ms |");
  out.push("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    out.push(`| ${MODE[x.mode]} | ${x.concurrency} | ${x.calls} | ${x.programs_per_s} | ${pp(x.wall)} | ${pp(x.queue)} | ${pp(x.restore)} | ${pp(x.restore_wait)} | ${pp(x.exec)} | ${pp(x.total)} | ${pp(x.overhead)} |`);
  }
  out.push("");
  const firsts = r.runs.filter((x) => x.first_pass);
  if (firsts.length) {
    out.push(`Before the recorded passes, each Arbor row ran the corpus once unrecorded (a warm-up: every program's code paths meet the executor's wasm code for the first time): ${firsts.map((x) => `c=${x.concurrency} ${x.first_pass!.programs_per_s} programs/s, exec_ms p50 / p99 ${pp(x.first_pass!.exec)}`).join("; ")}.`);
    out.push("");
    const probed = firsts.filter((x) => x.first_pass!.readyz);
    if (probed.length) {
      out.push(
        `During those warm-up passes, \`GET /readyz\` on a connection of its own, one every ~3 ms: ${probed.map((x) => `c=${x.concurrency} p50 / p99 ${pp(x.first_pass!.readyz)} ms (n=${x.first_pass!.readyz!.n})`).join("; ")}. ` +
          "That is an HTTP round trip through the daemon with no executor in it, on vCPUs the corpus keeps busy: every call's overhead below contains one, so the overhead cannot fall under it by any change to the call path.",
      );
      out.push("");
    }
  }
  out.push("Daemon timings (queue, restore, restore_wait, exec, total) are p50 / p99 of each call's `timing` (restore_ms is the restore after the previous call, done after its reply; restore_wait_ms the part of it this call waited for); overhead is per call (client wall − that call's exec_ms): HTTP, JSON, scheduling, the executor round trip and the restore.");
  out.push("");
  out.push("| concurrency | Arbor programs/s | python3 programs/s | Arbor ÷ python3 | executors' time in exec / in restore | with zero overhead: programs/s, ÷ python3 |");
  out.push("|---|---|---|---|---|---|");
  for (const x of r.ratios) {
    const split = r.runs.find((y) => y.mode === "arbor-http" && y.concurrency === x.concurrency)?.time_split;
    const shares = split ? `${pct(split.exec_share)} / ${pct(split.restore_share)}` : "–";
    const bound = split && x.exec_bound_ratio !== undefined ? `${split.exec_bound_per_s}, ${x.exec_bound_ratio.toFixed(2)}×` : "–";
    out.push(`| ${x.concurrency} | ${x.arbor_per_s} | ${x.python3_per_s} | ${x.ratio.toFixed(2)}× | ${shares} | ${bound} |`);
  }
  out.push("");
  out.push("The last two columns: Σ exec_ms and Σ restore_ms of the calls ÷ (workers × the row's wall time), and the programs/s the row would reach if everything but Python (HTTP, JSON, scheduling, the pipe, the restore) took no time at all (calls ÷ (Σ exec_ms ÷ workers)): the ceiling that cutting overhead can reach with this interpreter.");
  out.push("");
  const dis = r.runs.flatMap((x) => x.disagreements);
  out.push(
    `Verdicts: ${dis.length === 0 ? "every Arbor call agreed with native python3" : `**${dis.length} disagreement(s) with native python3**: ${dis.slice(0, 20).join("; ")}${dis.length > 20 ? "; ..." : ""}`}` +
      ` (outcomes: ${r.runs.map((x) => `${x.mode === "arbor-http" ? "Arbor" : "python3"} c=${x.concurrency} ${Object.entries(x.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}`).join("; ")}).` +
      (r.native_vs_expected.length ? ` **python3 disagreed with the corpus's expected verdicts**: ${r.native_vs_expected.join("; ")}.` : ""),
  );
  out.push("");
  if (r.exec_vs_native) {
    const e = r.exec_vs_native;
    out.push(
      `Interpreter speed on this corpus (Arbor exec_ms p50 of each correct program over every recorded Arbor call, ÷ native python3 compile + exec): ` +
        `against native warm (repeated in one process) geometric mean ${e.geomean.toFixed(2)}×, median ${e.p50.toFixed(2)}×; against native cold (first run in a fresh python3 with Arbor's preloaded modules imported, so per-process caches such as re's are empty, as in every Arbor call) geometric mean ${e.geomean_cold.toFixed(2)}×, median ${e.p50_cold.toFixed(2)}× (${e.programs} programs). ` +
        `Summed: ${fmt(e.sum_exec_ms)} ms in Arbor, ${fmt(e.sum_native_ms)} ms native warm, ${fmt(e.sum_native_cold_ms)} ms native cold. Largest ratios:`,
    );
    out.push("");
    out.push("| program | Arbor exec_ms p50 | native warm ms | native cold ms | ÷ warm | ÷ cold |");
    out.push("|---|---|---|---|---|---|");
    for (const s of e.slowest) out.push(`| ${s.program} | ${fmt(s.exec_ms)} | ${fmt(s.native_ms)} | ${fmt(s.native_cold_ms)} | ${s.ratio.toFixed(1)}× | ${s.ratio_cold.toFixed(1)}× |`);
    out.push("");
    const atNative = nativeSpeedRatios(r);
    if (atNative.length) {
      out.push(
        `Were the interpreter as fast as native cold python3 and nothing but Python took any time, Arbor ÷ python3 would be about ${atNative.map((x) => `${x.ratio.toFixed(1)}× at c=${x.concurrency}`).join(", ")} ` +
          "(the zero-overhead column above × Σ Arbor exec_ms ÷ Σ native cold of the correct programs): what a `python3` process's own cost on this host allows. Above it, Arbor would have to run Python faster than native python3.",
      );
      out.push("");
    }
  }
  if (r.print_http && r.readyz) {
    out.push(
      `Same run, one keep-alive connection, sequential: \`print(2+2)\` over HTTP p50 ${fmt(r.print_http.p50_ms)} ms (p99 ${fmt(r.print_http.p99_ms)}, n=${r.print_http.n}) vs \`GET /readyz\` p50 ${fmt(r.readyz.p50_ms)} ms (p99 ${fmt(r.readyz.p99_ms)}, n=${r.readyz.n}): ${r.print_over_readyz?.toFixed(2)}× the cost of an HTTP round trip that runs no Python.`,
    );
    out.push("");
  }
  return out;
}

/**
 * The zero-overhead ratio rescaled to an interpreter running at native cold speed: what the
 * python3 row's per-process cost alone allows. Scaled by the correct programs' sums, an estimate.
 */
export function nativeSpeedRatios(r: CorpusReport): Array<{ concurrency: number; ratio: number }> {
  const e = r.exec_vs_native;
  if (!e || e.sum_native_cold_ms <= 0) return [];
  return r.ratios.flatMap((x) => (x.exec_bound_ratio === undefined ? [] : [{ concurrency: x.concurrency, ratio: (x.exec_bound_ratio * e.sum_exec_ms) / e.sum_native_cold_ms }]));
}
