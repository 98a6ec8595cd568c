// The realistic corpus (bench/workloads/: function + asserts programs, a correct and a broken
// variant of each) end to end: POST /v1/eval over keep-alive undici against the bench's daemon,
// and a `python3` subprocess per program (how evaluation harnesses isolate programs), each at
// concurrency = workers and 2 × workers, in one run. Every call's verdict is compared with native
// python3's. Also: Arbor's exec_ms per program against native python3's in-process time, and
// print(2+2) over HTTP next to GET /readyz on the same connection.
import { Pool } from "undici";
import { waitIdle } from "../lib/daemon.ts";
import type { Plan } from "../lib/results.ts";
import { measureFor, Recorder, round, type Summary } from "../lib/stats.ts";
import { loadCorpus, type CorpusEntry, type Verdict } from "../workloads/corpus.ts";
import { PRELOADED_MODULES } from "../../runtime/src/engine/pyodide/boot.ts";
import { runNative, timeNative, timeNativeCold } from "../workloads/native.ts";
import type { CorpusReport, CorpusRun, ExecVsNative } from "./workloads-report.ts";

const TIMEOUT_MS = 30_000;

export interface Call {
  entry: CorpusEntry;
  wall: number;
  /** "pass" / "fail", or Arbor's status when it is neither ok nor error (timeout, crashed, ...). */
  verdict: Verdict | string;
  timing?: { queue_ms: number; restore_ms: number; restore_wait_ms?: number; exec_ms: number; total_ms: number };
}

/** A fixed pseudo-random order (heavy programs spread over the run), the same for every row. */
function shuffled<T>(items: T[], seed = 20_241_121): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `concurrency` closed loops over `work`; each call's result in completion order. */
async function drive<T>(work: CorpusEntry[], concurrency: number, call: (e: CorpusEntry) => Promise<T>): Promise<{ results: T[]; wallMs: number }> {
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < work.length) results.push(await call(work[next++]!));
    }),
  );
  return { results, wallMs: performance.now() - started };
}

function arborCaller(pool: Pool) {
  return async (entry: CorpusEntry): Promise<Call> => {
    const body = JSON.stringify({ code: entry.code, timeout_ms: TIMEOUT_MS });
    const t = performance.now();
    const res = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.body.text();
    const wall = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`workloads ${entry.name}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
    const r = JSON.parse(text) as { status: string; timing: Call["timing"] };
    const verdict = r.status === "ok" ? "pass" : r.status === "error" ? "fail" : r.status;
    return { entry, wall, verdict, timing: r.timing };
  };
}

/**
 * GET /readyz on a connection of its own, one every ~3 ms, until `until` settles: an HTTP round
 * trip through the daemon with no executor in it, timed while the corpus keeps both vCPUs busy.
 * Part of every call's overhead, and no change to the call path can take it out.
 */
export async function readyzWhile<T>(url: string, until: Promise<T>): Promise<{ value: T; readyz: Summary }> {
  const pool = new Pool(url, { connections: 1 });
  const rec = new Recorder();
  let done = false;
  // Settles to the probe's error (or null) at once, so a failure waits for the work unhandled-free.
  const probing = (async () => {
    while (!done) {
      const t = performance.now();
      const res = await pool.request({ path: "/readyz", method: "GET" });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`GET /readyz while the corpus ran: HTTP ${res.statusCode}`);
      rec.record(performance.now() - t);
      await new Promise((r) => setTimeout(r, 3));
    }
  })().then(() => null, (e: unknown) => e);
  let value: T;
  let failed: unknown = null;
  try {
    value = await until;
  } finally {
    done = true;
    failed = await probing;
    await pool.close();
  }
  if (failed) throw failed;
  return { value, readyz: rec.summary() };
}

function python3Caller(python3: string) {
  return async (entry: CorpusEntry): Promise<Call> => {
    const r = await runNative(python3, ["-"], entry.code, TIMEOUT_MS);
    return { entry, wall: r.ms, verdict: r.code === 0 ? "pass" : "fail" };
  };
}

function summarize(values: number[]): Summary {
  const r = new Recorder();
  for (const v of values) r.record(v);
  return r.summary();
}

export function toRun(mode: CorpusRun["mode"], concurrency: number, calls: Call[], wallMs: number, native: Map<string, Verdict>, workers: number): CorpusRun {
  const outcomes: Record<string, number> = {};
  for (const c of calls) outcomes[c.verdict] = (outcomes[c.verdict] ?? 0) + 1;
  const disagreements = calls
    .filter((c) => c.verdict !== native.get(c.entry.name))
    .map((c) => `${c.entry.name} (${mode} c=${concurrency}): ${c.verdict}, native ${native.get(c.entry.name)}`);
  const run: CorpusRun = {
    mode,
    concurrency,
    calls: calls.length,
    wall_ms: round(wallMs, 1),
    programs_per_s: round((calls.length / wallMs) * 1000, 1),
    wall: summarize(calls.map((c) => c.wall)),
    outcomes,
    disagreements,
  };
  const timed = calls.filter((c) => c.timing);
  if (timed.length) {
    run.queue = summarize(timed.map((c) => c.timing!.queue_ms));
    run.restore = summarize(timed.map((c) => c.timing!.restore_ms));
    run.restore_wait = summarize(timed.map((c) => c.timing!.restore_wait_ms ?? 0));
    run.exec = summarize(timed.map((c) => c.timing!.exec_ms));
    run.total = summarize(timed.map((c) => c.timing!.total_ms));
    run.overhead = summarize(timed.map((c) => c.wall - c.timing!.exec_ms));
    const execMs = sumOf(timed.map((c) => c.timing!.exec_ms));
    const restoreMs = sumOf(timed.map((c) => c.timing!.restore_ms));
    run.time_split = {
      workers,
      exec_share: round(execMs / (workers * wallMs), 3),
      restore_share: round(restoreMs / (workers * wallMs), 3),
      exec_bound_per_s: round((timed.length / (execMs / workers)) * 1000, 1),
    };
  }
  return run;
}

const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

function execVsNative(calls: Call[], nativeMs: Record<string, number>, coldMs: Record<string, number>): ExecVsNative {
  const byProgram = new Map<string, number[]>();
  for (const c of calls) {
    if (c.entry.variant !== "correct" || !c.timing) continue;
    byProgram.set(c.entry.program, [...(byProgram.get(c.entry.program) ?? []), c.timing.exec_ms]);
  }
  const rows = [...byProgram]
    .filter(([p]) => nativeMs[p]! > 0 && coldMs[p]! > 0)
    .map(([program, ms]) => {
      const exec = median(ms);
      const warm = nativeMs[program]!;
      const cold = coldMs[program]!;
      return { program, exec_ms: round(exec), native_ms: warm, native_cold_ms: cold, ratio: round(exec / warm, 2), ratio_cold: round(exec / cold, 2) };
    });
  const geo = (xs: number[]) => round(Math.exp(xs.reduce((a, r) => a + Math.log(r), 0) / Math.max(1, xs.length)), 2);
  const sum = (xs: number[]) => round(sumOf(xs), 1);
  return {
    programs: rows.length,
    geomean: geo(rows.map((r) => r.ratio)),
    p50: round(median(rows.map((r) => r.ratio)), 2),
    geomean_cold: geo(rows.map((r) => r.ratio_cold)),
    p50_cold: round(median(rows.map((r) => r.ratio_cold)), 2),
    slowest: [...rows].sort((a, b) => b.ratio - a.ratio).slice(0, 10),
    sum_exec_ms: sum(rows.map((r) => r.exec_ms)),
    sum_native_ms: sum(rows.map((r) => r.native_ms)),
    sum_native_cold_ms: sum(rows.map((r) => r.native_cold_ms)),
  };
}

export async function workloadsSection(plan: Plan, url: string, python3: string | null, log: (s: string) => void): Promise<CorpusReport> {
  if (!python3) throw new Error("the workloads section needs python3 (its verdicts and its baseline are native python3's)");
  const corpus = loadCorpus();
  const programs = corpus.filter((e) => e.variant === "correct");
  const passes = plan.quick ? 1 : 3;
  const order = shuffled(corpus);
  const work = Array.from({ length: passes }, () => order).flat();
  const concurrencies = [plan.workers, 2 * plan.workers];

  // Native time of every correct program (compile + exec), in this run: warm (repeated in one
  // process) and cold (first run in a fresh process that has imported what Arbor preloads).
  const nativeMs = await timeNative(python3, programs.map((e) => [e.program, e.code]), plan.quick ? 3 : 5);
  const coldMs = await timeNativeCold(python3, programs.map((e) => [e.program, e.code]), PRELOADED_MODULES);
  const nativeSorted = Object.values(nativeMs).sort((a, b) => a - b);
  const at = (q: number) => nativeSorted[Math.min(nativeSorted.length - 1, Math.floor(q * nativeSorted.length))] ?? 0;

  const runs: CorpusRun[] = [];
  const native = new Map<string, Verdict>();
  const native_vs_expected: string[] = [];
  const arborCalls: Call[] = [];
  for (const c of concurrencies) {
    // python3 first: its first row is the reference verdict of every entry.
    const py = await drive(work, c, python3Caller(python3));
    if (native.size === 0) {
      for (const call of py.results) {
        if (!native.has(call.entry.name)) native.set(call.entry.name, call.verdict as Verdict);
        if (call.verdict !== call.entry.expect) native_vs_expected.push(`${call.entry.name}: python3 ${call.verdict}, expected ${call.entry.expect}`);
      }
    }
    runs.push(toRun("python3-subprocess", c, py.results, py.wallMs, native, plan.workers));
    log(`workloads python3 c=${c}: ${runs.at(-1)!.programs_per_s} programs/s, wall p50 ${runs.at(-1)!.wall.p50_ms} ms`);

    const pool = new Pool(url, { connections: c });
    try {
      await waitIdle(url);
      // The warm-up pass, unrecorded; the /readyz probe runs during it, not the recorded ones
      // (its own requests would add to their load).
      const { value: warm, readyz: readyzBusy } = await readyzWhile(url, drive(order, c, arborCaller(pool)));
      await waitIdle(url);
      const ar = await drive(work, c, arborCaller(pool));
      runs.push({
        ...toRun("arbor-http", c, ar.results, ar.wallMs, native, plan.workers),
        first_pass: { programs_per_s: round((warm.results.length / warm.wallMs) * 1000, 1), exec: summarize(warm.results.map((x) => x.timing!.exec_ms)), readyz: readyzBusy },
      });
      arborCalls.push(...ar.results);
      const r = runs.at(-1)!;
      log(`workloads arbor c=${c}: ${r.programs_per_s} programs/s, wall p50 ${r.wall.p50_ms} ms, exec p50 ${r.exec?.p50_ms} ms, ${r.disagreements.length} disagreement(s)`);
    } finally {
      await pool.close();
    }
  }
  const ratios = concurrencies.map((c) => {
    const a = runs.find((r) => r.mode === "arbor-http" && r.concurrency === c)!;
    const p = runs.find((r) => r.mode === "python3-subprocess" && r.concurrency === c)!;
    const bound = a.time_split?.exec_bound_per_s;
    return {
      concurrency: c,
      arbor_per_s: a.programs_per_s,
      python3_per_s: p.programs_per_s,
      ratio: round(a.programs_per_s / p.programs_per_s, 2),
      ...(bound === undefined ? {} : { exec_bound_ratio: round(bound / p.programs_per_s, 2) }),
    };
  });

  // print(2+2) next to GET /readyz on one keep-alive connection: what a call costs beyond HTTP.
  const seq = new Pool(url, { connections: 1 });
  let print_http: Summary | undefined;
  let readyz: Summary | undefined;
  try {
    await waitIdle(url);
    const printBody = JSON.stringify({ code: "print(2+2)" });
    readyz = await measureFor(plan.row, async () => {
      const res = await seq.request({ path: "/readyz", method: "GET" });
      await res.body.text();
      return res.statusCode;
    }, (s) => {
      if (s !== 200) throw new Error(`GET /readyz: HTTP ${s}`);
    });
    print_http = await measureFor(plan.row, async () => {
      const res = await seq.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: printBody });
      return JSON.parse(await res.body.text()) as { stdout?: string };
    }, (b) => {
      if (b.stdout !== "4\n") throw new Error(`print(2+2) over HTTP: ${JSON.stringify(b).slice(0, 300)}`);
    });
    log(`workloads print(2+2) p50 ${print_http.p50_ms} ms, GET /readyz p50 ${readyz.p50_ms} ms`);
  } finally {
    await seq.close();
  }

  return {
    programs: programs.length,
    entries: corpus.length,
    categories: [...new Set(corpus.map((e) => e.category))],
    passes,
    native_ms: { p50: at(0.5), p90: at(0.9), max: nativeSorted.at(-1) ?? 0, over_20ms: nativeSorted.filter((x) => x > 20).length, sum: round(nativeSorted.reduce((a, b) => a + b, 0), 1) },
    runs,
    ratios,
    native_vs_expected,
    exec_vs_native: execVsNative(arborCalls, nativeMs, coldMs),
    print_http,
    readyz,
    print_over_readyz: print_http && readyz ? round(print_http.p50_ms / readyz.p50_ms, 2) : undefined,
  };
}
