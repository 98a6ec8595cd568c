// Markdown for a results file: the same tables docs/benchmarks.md shows.
import { machineLine } from "./machine.ts";
import type { Results, Row } from "./results.ts";
import { clusterMarkdown } from "../sections/cluster-report.ts";
import { computeMarkdown } from "../sections/compute-report.ts";
import { corpusMarkdown } from "../sections/workloads-report.ts";

/** Table order and the words for each row. */
export const ROW_LABELS: Array<[id: string, label: string]> = [
  ["pyodide/reused-no-reset", "Pyodide reused, no reset (floor; state leaks)"],
  ["executor/dirty", "Arbor executor, dirty-page restore (default)"],
  ["executor/memcpy", "Arbor executor, memcpy restore"],
  ["executor/cow", "Arbor executor, copy-on-write restore"],
  ["pyodide/fresh-load", "fresh `loadPyodide()` per call"],
  ["pyodide/snapshot-load", "`loadPyodide` from a snapshot per call"],
  ["subprocess/python3-c", "`python3 -c` subprocess per call (native)"],
  ["http/sequential", "Arbor over HTTP, sequential"],
  ["http/concurrency-2", "Arbor over HTTP, concurrency 2"],
  ["http/concurrency-8", "Arbor over HTTP, concurrency 8"],
  ["http/concurrency-32", "Arbor over HTTP, concurrency 32"],
];

export function labelOf(id: string): string {
  return ROW_LABELS.find(([r]) => r === id)?.[1] ?? id;
}

export function orderRows(rows: Row[]): Row[] {
  const rank = (id: string) => {
    const i = ROW_LABELS.findIndex(([r]) => r === id);
    return i < 0 ? ROW_LABELS.length : i;
  };
  return [...rows].sort((a, b) => rank(a.row) - rank(b.row));
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const ratio = (r: number | undefined) => (r === undefined ? "–" : r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`);

export function renderMarkdown(res: Results): string {
  const out: string[] = [];
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  out.push(`# Arbor benchmarks, ${res.date}${res.quick ? " (quick)" : ""}`);
  out.push("");
  out.push(`- Command: \`${res.command}\` (${res.duration_s} s), commit ${res.git.commit}${res.git.uncommitted.length ? " + uncommitted changes" : ""}`);
  out.push(`- Machine: ${machineLine(res.machine)}`);
  out.push(`- Load average (1/5/15 min): ${load(res.load.start)} at the start, ${load(res.load.end)} at the end`);
  for (const w of res.warnings) out.push(`- **Warning:** ${w}`);
  out.push("");
  const workloads = res.workloads.filter((w) => res.rows.some((r) => r.workload === w.name));
  const ids = ROW_LABELS.map(([id]) => id).filter((id) => res.rows.some((r) => r.row === id));

  out.push("## p50 per call, ms (÷ the floor's p50)");
  out.push("");
  out.push(`| row | ${workloads.map((w) => w.name).join(" | ")} |`);
  out.push(`|---|${workloads.map(() => "---").join("|")}|`);
  for (const id of ids) {
    const cells = workloads.map((w) => {
      const r = res.rows.find((x) => x.row === id && x.workload === w.name);
      return r ? `${fmt(r.p50_ms)} (${ratio(r.ratio_p50)})` : "–";
    });
    out.push(`| ${labelOf(id)} | ${cells.join(" | ")} |`);
  }
  for (const s of res.skipped) out.push(`| ${labelOf(s.row)} | left out: ${s.reason} |${workloads.slice(1).map(() => " |").join("")}`);
  out.push("");
  out.push(workloads.map((w) => `${w.name} = ${w.title}`).join("; ") + ".");
  out.push("");
  if (res.ping) out.push(`Executor protocol round trip alone (a ping frame over the fd-3 socket pair, no Python): p50 ${fmt(res.ping.p50_ms)} ms, p99 ${fmt(res.ping.p99_ms)} ms (n=${res.ping.n}).\n`);

  for (const w of workloads) {
    out.push(`## ${w.name}: ${w.title}`);
    out.push("");
    out.push("| row | n | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | p50 ÷ first row | calls/s |");
    out.push("|---|---|---|---|---|---|---|---|---|");
    for (const r of orderRows(res.rows.filter((x) => x.workload === w.name))) {
      out.push(
        `| ${labelOf(r.row)} | ${r.n} | ${fmt(r.p50_ms)} | ${fmt(r.p90_ms)} | ${fmt(r.p99_ms)} | ${fmt(r.p999_ms)} | ${fmt(r.max_ms)} | ${ratio(r.ratio_p50)} | ${r.throughput_per_s ?? "–"} |`,
      );
    }
    out.push("");
  }

  out.push("## Branching (`/v1/states`)");
  out.push("");
  const b = res.branching;
  if (!b.available) {
    out.push(`Not measured: ${b.reason ?? "section not run"}.`);
  } else {
    out.push(`State: \`big = list(range(10**5)); d = {i: str(i) for i in range(10**4)}\`; each branch runs \`print(len(big) + len(d))\`. Creating the state took ${b.setup_ms} ms.`);
    out.push("");
    out.push("| request | n | p50 ms | p90 ms | p99 ms | max ms | forks/s | requests/s | branch p50 / p99 ms |");
    out.push("|---|---|---|---|---|---|---|---|---|");
    if (b.state_eval) out.push(`| eval in a fresh copy of the state | ${b.state_eval.n} | ${fmt(b.state_eval.p50_ms)} | ${fmt(b.state_eval.p90_ms)} | ${fmt(b.state_eval.p99_ms)} | ${fmt(b.state_eval.max_ms)} | – | ${Math.round((b.state_eval.n / b.state_eval.wall_ms) * 1000)} | – |`);
    for (const f of b.forks) {
      const branch = f.branch_p50_ms === undefined ? "–" : `${fmt(f.branch_p50_ms)} / ${fmt(f.branch_p99_ms!)}`;
      out.push(`| fork, K = ${f.branches} | ${f.n} | ${fmt(f.p50_ms)} | ${fmt(f.p90_ms)} | ${fmt(f.p99_ms)} | ${fmt(f.max_ms)} | ${f.forks_per_s} | ${f.requests_per_s} | ${branch} |`);
    }
    out.push("");
    out.push("p50 … max are per fork request (all K branches, over HTTP); branch p50 / p99 is one branch's own cost in its executor (`restore_ms + exec_ms` of each result).");
    for (const f of b.forks) if (f.first_forks_per_s?.length) out.push(`First ${f.first_forks_per_s.length} fork requests at K = ${f.branches} (not in the row above): ${f.first_forks_per_s.join(", ")} forks/s.`);
    if (b.tree_walk) {
      const w = b.tree_walk;
      out.push("");
      out.push(`Tree walk (executors move between states at almost every branch, as in MCTS): ${w.requests} fork requests of ${w.branches} checkpointing branches, each from a state picked among the ${w.states} the walk made so far: ${w.forks_per_s} forks/s; per request p50 ${fmt(w.p50_ms)}, p90 ${fmt(w.p90_ms)}, p99 ${fmt(w.p99_ms)} ms.${w.branch_p50_ms ? ` Per branch p50: restore ${fmt(w.branch_p50_ms.restore)}, exec ${fmt(w.branch_p50_ms.exec)}, checkpoint (capturing the state) ${fmt(w.branch_p50_ms.checkpoint)} ms.` : ""}`);
    }
    if (b.fresh?.length) {
      out.push("");
      out.push("Daemons fresh from boot (a new `arbor serve` per round, the state made, then 5 fork requests at K = 256; rounds alternate the two configs; startup is spawn to listening):");
      out.push("");
      out.push("| config | round | startup ms | first 5 fork requests, forks/s |");
      out.push("|---|---|---|---|");
      for (const v of b.fresh) v.first_forks_per_s.forEach((rates, i) => out.push(`| ${v.label} | ${i + 1} | ${v.startup_ms[i]} | ${rates.join(", ")} |`));
    }
    out.push("");
    out.push(`Memory per stored state: ${b.state_bytes === undefined ? "–" : `${(b.state_bytes / 2 ** 20).toFixed(2)} MiB (\`bytes\` of GET /v1/states/{id})`}; daemon process tree RSS growth ${b.rss_per_state_mb === undefined ? "not measured" : `${b.rss_per_state_mb} MiB per state over ${b.states_measured} states`}.`);
    if (b.children_measured) {
      out.push("");
      out.push(`Children of that state (\`x = i\` per branch, checkpointed by forks): ${b.child_bytes ?? "–"} bytes each stored; daemon process tree RSS growth ${b.rss_per_child_kb} KiB per child over ${b.children_measured} children.`);
    }
    if (b.reason) out.push(`\nProblems: ${b.reason}.`);
  }
  out.push("");

  out.push("## Memory");
  out.push("");
  const m = res.memory;
  const GiB24 = 24 * 1024;
  if (m.executors.length) {
    out.push("One executor process = one worker = one interpreter. PSS divides shared pages (the Node binary, code) among processes; \"fit in 24 GiB\" = ⌊24 GiB ÷ PSS after the calls⌋, ignoring the daemon itself.");
    out.push("");
    out.push("| executor | RSS idle MiB | RSS after the calls MiB | PSS after MiB | private MiB | linear memory MiB | baseline copy MiB | fit in 24 GiB |");
    out.push("|---|---|---|---|---|---|---|---|");
    for (const e of m.executors) {
      const pss = e.after_calls?.pss_mb ?? e.after_calls?.rss_mb;
      out.push(
        `| ${e.strategy} | ${e.idle?.rss_mb ?? "–"} | ${e.after_calls?.rss_mb ?? "–"} | ${e.after_calls?.pss_mb ?? "–"} | ${e.after_calls?.private_mb ?? "–"} | ${e.linear_memory_mb} | ${e.strategy === "cow" ? "(memfd)" : e.baseline_mb} | ${pss ? Math.floor(GiB24 / pss) : "–"} |`,
      );
    }
    out.push("");
  }
  if (m.daemon) {
    const ex = m.daemon.executors;
    out.push(`Daemon under test (HTTP section): daemon process ${m.daemon.self?.rss_mb ?? "–"} MiB RSS; ${ex.length} executor processes (workers + warm spare) ${ex.map((e) => e.rss_mb).join(", ")} MiB RSS, PSS ${ex.map((e) => e.pss_mb ?? "–").join(", ")} MiB.`);
    out.push("");
  }
  if (m.pyodide) {
    const p = m.pyodide;
    out.push(`In-process Pyodide (the peers' model): Node alone ${p.node_baseline_mb} MiB RSS; the first instance adds ${p.one_instance_mb} MiB (compiled wasm, stdlib, JS); each further idle instance in the same process adds ${p.per_extra_instance_mb} MiB (over ${p.instances_measured}; linear memory ${p.linear_memory_mb} MiB, snapshot ${p.snapshot_mb} MiB) → about ${Math.floor(GiB24 / Math.max(1, p.per_extra_instance_mb))} idle instances in 24 GiB, sharing one thread.`);
    out.push("");
  }
  if (m.python3_peak_rss_mb !== undefined) out.push(`\`python3 -c 'print(2+2)'\`: peak RSS ${m.python3_peak_rss_mb} MiB per process.\n`);
  if (res.corpus) out.push(...corpusMarkdown(res.corpus));
  if (res.compute) out.push(...computeMarkdown(res.compute));
  if (res.cluster) out.push(...clusterMarkdown(res.cluster));
  return out.join("\n");
}
