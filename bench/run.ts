// `npm run bench` (≈5–8 min) / `npm run bench -- --quick` (≈1 min, three workloads): Arbor against the
// alternatives, in one run on one machine, every workload in every row, hdr-histogram
// percentiles and ratios to the first row (a reused Pyodide with no reset: the floor).
//
// Sections, in order (each row checks every answer, so no row can be fast by failing):
//   pyodide     child process: reused Pyodide, no reset (floor); fresh loadPyodide() per call;
//               loadPyodide from a memory snapshot per call; memory per in-process instance
//   executor    Arbor's executor process driven directly, one row per restore strategy this
//               machine has (dirty = default, memcpy, cow); RSS/PSS per executor
//   subprocess  `python3 -c CODE` per call (native CPython), peak RSS
//   http        `arbor serve` in its own process (plan.workers executors), POST /v1/eval over
//               keep-alive undici: sequential, then concurrency 2/8/32, with calls/s
//   branching   /v1/states: eval in a state, fork with K = 1/8/64/256/1024 branches (forks/s),
//               memory per stored state; "not available in this build" on a 404
//   workloads   the realistic corpus (bench/workloads/) over HTTP vs a python3 subprocess per
//               program, at concurrency workers and 2 × workers; verdicts checked against python3
//   compute     interpreter speed: bench/compute/ natively and in Arbor, ratio per benchmark
//   cluster     (only with --only cluster) 3 daemons in redis mode on a real redis-server behind a real HAProxy: corpus
//               throughput with 1 vs 3 daemons behind it; cold vs warm fork of a remote state
// Writes bench/results/<date>[-quick].{json,md,svg} (-2, -3, … after an earlier run that day) and prints the markdown.
// Options: --quick; --only pyodide,executor,... (sections); --workloads print,sqlite,...;
// --url http://host:port (use a running daemon for http and branching; its memory is not read).
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderSvg } from "./chart.ts";
import { startDaemon } from "./lib/daemon.ts";
import { describeMachine, isBusy, load, resolvePython3, treeMemory, type ProcMemory } from "./lib/machine.ts";
import { renderMarkdown } from "./lib/report.ts";
import { RESULT_PREFIX, type Branching, type MemoryReport, type Plan, type Results, type Row, type Skipped } from "./lib/results.ts";
import { round, type Summary } from "./lib/stats.ts";
import { WORKLOADS, workloadsNamed } from "./lib/workloads.ts";
import { branchingSection } from "./sections/branching.ts";
import { freshForksSection } from "./sections/fresh-forks.ts";
import { clusterSection } from "./sections/cluster.ts";
import { computeSection } from "./sections/compute.ts";
import { executorSection } from "./sections/executor.ts";
import { httpSection } from "./sections/http.ts";
import { subprocessSection } from "./sections/subprocess.ts";
import { workloadsSection } from "./sections/workloads.ts";
import { resultBase } from "./lib/result-path.ts";

const QUICK_WORKLOADS = ["print", "json-100k", "sqlite"];
const SECTIONS = ["pyodide", "executor", "subprocess", "http", "branching", "workloads", "compute", "cluster"] as const;
type Section = (typeof SECTIONS)[number];

export function makePlan(quick: boolean, workloads: string[]): Plan {
  return quick
    ? {
        quick,
        workloads,
        row: { maxN: 1000, budgetMs: 300, minN: 3, warmup: 10 },
        freshN: 2,
        freshWorkloads: workloads.slice(0, 1),
        snapshot: { maxN: 10, budgetMs: 400, minN: 2, warmup: 1 },
        subprocess: { maxN: 100, budgetMs: 300, minN: 3, warmup: 1 },
        concurrent: { maxN: 2000, budgetMs: 300, minN: 8, warmup: 1 },
        concurrency: [2, 8, 32],
        branches: [1, 8, 64],
        fork: { maxN: 50, budgetMs: 500, minN: 2, warmup: 1 },
        statesForMemory: 4,
        childRounds: 1,
        treeWalkRequests: 10,
        workers: 2,
      }
    : {
        quick,
        workloads,
        row: { maxN: 5000, budgetMs: 3000, minN: 10, warmup: 30 },
        freshN: 3,
        freshWorkloads: workloads,
        snapshot: { maxN: 100, budgetMs: 3000, minN: 5, warmup: 1 },
        subprocess: { maxN: 1000, budgetMs: 3000, minN: 10, warmup: 2 },
        concurrent: { maxN: 20_000, budgetMs: 3000, minN: 32, warmup: 1 },
        concurrency: [2, 8, 32],
        // 256 first: its first requests are the first forks after boot and state creation.
        branches: [256, 1, 8, 64, 1024],
        fork: { maxN: 500, budgetMs: 3000, minN: 3, warmup: 1 },
        statesForMemory: 16,
        childRounds: 4,
        treeWalkRequests: 60,
        workers: 2,
      };
}

function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[i + 1];
}

/** Runs bench/sections/pyodide.ts in its own process and returns what it printed. */
async function pyodideChild(plan: Plan): Promise<{ rows: Row[]; memory: MemoryReport["pyodide"]; pyodide: string }> {
  const script = fileURLToPath(new URL("./sections/pyodide.ts", import.meta.url));
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script, JSON.stringify(plan)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  if (code !== 0 || !line) throw new Error(`bench/sections/pyodide.ts failed (exit ${code})`);
  return JSON.parse(line.slice(RESULT_PREFIX.length));
}

/** The commit measured, and whether runtime/ or daemon/ had uncommitted changes (then measured too). */
function gitState(): { commit: string; uncommitted: string[] } {
  const root = fileURLToPath(new URL("..", import.meta.url));
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--", "runtime", "daemon", "package.json"], { cwd: root, encoding: "utf8" });
    return { commit, uncommitted: status.split("\n").filter(Boolean).map((l) => l.slice(3)) };
  } catch {
    return { commit: "unknown (not a git checkout)", uncommitted: [] };
  }
}

export async function runBench(args: string[]): Promise<number> {
  const started = performance.now();
  const quick = args.includes("--quick");
  const only = option(args, "--only")?.split(",") as Section[] | undefined;
  const bad = only?.filter((s) => !SECTIONS.includes(s));
  if (bad?.length) {
    console.error(`unknown section(s) ${bad.join(", ")}; sections: ${SECTIONS.join(", ")}`);
    return 2;
  }
  const url = option(args, "--url");
  // --quick runs the three fast workloads unless --workloads says otherwise.
  const named = option(args, "--workloads")?.split(",") ?? (quick ? QUICK_WORKLOADS : undefined);
  const workloads = workloadsNamed(named).map((w) => w.name);
  const plan = makePlan(quick, workloads);
  // The cluster section is asked for by name only: it needs redis-server and haproxy and boots
  // three more daemons, which the default run should not depend on.
  const runs = (s: Section) => (only ? only.includes(s) : s !== "cluster");
  const log = (s: string) => console.error(s);
  const command = `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`;

  const py = resolvePython3();
  const loadStart = load();
  const sections: Record<string, number[]> = {};
  const rows: Row[] = [];
  const skipped: Skipped[] = [];
  const memory: MemoryReport = { executors: [] };
  let branching: Branching = { available: false, forks: [], reason: "section not run" };
  let corpus: Results["corpus"];
  let compute: Results["compute"];
  let cluster: Results["cluster"];
  let ping: Summary | undefined;
  let pyodideVersion = "unknown";
  const warnings: string[] = [];
  const git = gitState();
  if (git.uncommitted.length) warnings.push(`uncommitted changes in ${git.uncommitted.length} file(s) under runtime/, daemon/ or package.json are measured too (${git.uncommitted.slice(0, 5).join(", ")}${git.uncommitted.length > 5 ? ", ..." : ""})`);
  if (isBusy(loadStart)) warnings.push(`load average ${loadStart[0]} at the start is above the ${describeMachine("", "").cpus} cores: other processes compete for the CPUs and inflate every row`);
  log(`bench: ${quick ? "quick" : "full"} run, workloads ${workloads.join(", ")}; load ${loadStart.join(" ")}`);

  const section = async (name: Section, fn: () => Promise<void>) => {
    if (!runs(name)) return;
    log(`— ${name} (load ${load().join(" ")})`);
    await fn();
    sections[name] = load();
    if (isBusy(sections[name]!)) warnings.push(`load average ${sections[name]![0]} after the ${name} section is above the core count`);
  };

  await section("pyodide", async () => {
    const r = await pyodideChild(plan);
    rows.push(...r.rows);
    memory.pyodide = r.memory;
    pyodideVersion = r.pyodide;
  });
  await section("executor", async () => {
    const r = await executorSection(plan, log);
    rows.push(...r.rows);
    skipped.push(...r.skipped);
    memory.executors = r.memory;
    ping = r.ping ?? undefined;
  });
  await section("subprocess", async () => {
    const r = await subprocessSection(plan, "path" in py ? py.path : null, "error" in py ? `python3 not usable: ${py.error}` : "", log);
    rows.push(...r.rows);
    skipped.push(...r.skipped);
    memory.python3_peak_rss_mb = r.peakRssMb;
  });
  if ((["http", "branching", "workloads", "compute"] as const).some(runs)) {
    const daemon = await startDaemon(plan.workers, url);
    try {
      await section("http", async () => {
        rows.push(...(await httpSection(plan, daemon.url, log)));
        if (daemon.pid !== null) {
          const t = treeMemory(daemon.pid);
          memory.daemon = { self: t.self, executors: t.children.map(({ pid: _pid, ...m }) => m as ProcMemory) };
        }
      });
      await section("branching", async () => {
        branching = await branchingSection(plan, daemon.url, daemon.pid, log);
        // Fresh daemons of our own (the one above is idle meanwhile); not with --url.
        if (branching.available && !url) branching.fresh = await freshForksSection(plan, plan.quick ? 1 : 3, log);
      });
      const python3 = "path" in py ? py.path : null;
      await section("workloads", async () => {
        corpus = await workloadsSection(plan, daemon.url, python3, log);
      });
      await section("compute", async () => {
        compute = await computeSection(plan, daemon.url, python3, log);
      });
    } finally {
      await daemon.stop();
    }
  }

  // Its own daemons, Redis and HAProxy (never --url): it measures the cluster path itself.
  await section("cluster", async () => {
    cluster = await clusterSection(plan, log);
  });

  // Ratios against the first row of each workload (the floor when the pyodide section ran).
  const order = ["pyodide/reused-no-reset"];
  for (const w of workloads) {
    const mine = rows.filter((r) => r.workload === w);
    const first = mine.find((r) => r.row === order[0]) ?? mine[0];
    for (const r of mine) r.ratio_p50 = first ? round(r.p50_ms / first.p50_ms, 2) : undefined;
  }

  const loadEnd = load();
  if (isBusy(loadEnd)) warnings.push(`load average ${loadEnd[0]} at the end is above the core count`);
  const date = new Date().toISOString().slice(0, 10);
  const results: Results = {
    date,
    command,
    git,
    quick,
    machine: describeMachine(pyodideVersion, "version" in py ? py.version : "no python3"),
    load: { start: loadStart, end: loadEnd, sections },
    warnings,
    duration_s: Math.round((performance.now() - started) / 1000),
    plan,
    workloads: WORKLOADS.filter((w) => workloads.includes(w.name)).map((w) => ({ name: w.name, title: w.title })),
    rows,
    skipped,
    ping,
    branching,
    memory,
    corpus,
    compute,
    cluster,
  };
  if (!runs("pyodide")) results.machine.pyodide = "314.0.7 (pyodide section not run)";
  const base = resultBase(`${date}${quick ? "-quick" : ""}${only ? `-${only.join("+")}` : ""}`);
  const md = renderMarkdown(results);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${md}\n`);
  if (rows.length) writeFileSync(`${base}.svg`, renderSvg(results));
  console.log(md);
  for (const w of warnings) console.error(`WARNING: ${w}`);
  console.error(`wrote ${base}.{json,md${rows.length ? ",svg" : ""}} in ${results.duration_s} s`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runBench(process.argv.slice(2));
}
