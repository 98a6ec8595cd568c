// Branching against the states endpoints (docs/api.md): one state made by
// POST /v1/states holding a 10^5-element list and a 10^4-key dict, then
//   POST /v1/states/{id}/eval          one call in a fresh copy of the state (latency)
//   POST /v1/states/{id}/fork          K branches of a print(2+2)-like cell, K = plan.branches:
//                                      latency per fork request and branches (forks) per second
//   memory per stored state            `bytes` from GET /v1/states/{id}, and the growth of the
//                                      daemon's process tree RSS over plan.statesForMemory states, and
//                                      per child over plan.childRounds × 250 one-variable children
//   tree walk                          plan.treeWalkRequests fork requests, each from another state of
//                                      a tree the walk grows (./tree-walk.ts)
// A daemon without states (404 on POST /v1/states) is reported as "not available in this build".
import { Pool } from "undici";
import { jsonCaller, type Reply } from "../lib/json-call.ts";
import { treeMemory } from "../lib/machine.ts";
import type { Branching, ForkRow, Plan } from "../lib/results.ts";
import { measureFor, Recorder, round } from "../lib/stats.ts";
import { treeWalk } from "./tree-walk.ts";

export const STATE_SETUP = "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}";
export const BRANCH_CODE = "print(len(big) + len(d))";
const BRANCH_EXPECT = "110000\n";
const FIRST_REQUESTS = 5;
const TREE_WALK_BRANCHES = 8;

function describe(r: Reply): string {
  const code = r.body?.error?.code;
  return `HTTP ${r.status}${code ? ` ${code}` : ""}`;
}

function treeRssMb(pid: number): number {
  const t = treeMemory(pid);
  return (t.self?.rss_mb ?? 0) + t.children.reduce((a, c) => a + c.rss_mb, 0);
}

export async function branchingSection(plan: Plan, url: string, daemonPid: number | null, log: (s: string) => void): Promise<Branching> {
  const pool = new Pool(url, { connections: 1 });
  const call = jsonCaller(pool);
  const out: Branching = { available: false, forks: [] };
  try {
    const t0 = performance.now();
    const created = await call("POST", "/v1/states", { code: STATE_SETUP });
    out.setup_ms = round(performance.now() - t0);
    if (created.status === 404) {
      out.reason = `not available in this build (POST /v1/states → ${describe(created)})`;
      log(`branching: ${out.reason}`);
      return out;
    }
    if (created.status !== 201 || typeof created.body?.state_id !== "string") {
      out.reason = `POST /v1/states → ${describe(created)}: ${JSON.stringify(created.body).slice(0, 200)}`;
      log(`branching: ${out.reason}`);
      return out;
    }
    out.available = true;
    const id = created.body.state_id as string;
    const enc = encodeURIComponent(id);
    const problems: string[] = [];

    const meta = await call("GET", `/v1/states/${enc}`);
    if (meta.status === 200 && typeof meta.body?.bytes === "number") out.state_bytes = meta.body.bytes;
    else problems.push(`GET /v1/states/{id} → ${describe(meta)}`);

    const evalOnce = () => call("POST", `/v1/states/${enc}/eval`, { code: BRANCH_CODE });
    const first = await evalOnce();
    if (first.status === 200) {
      out.state_eval = await measureFor(plan.row, evalOnce, (r) => {
        if (r.status !== 200 || r.body.status !== "ok" || r.body.stdout !== BRANCH_EXPECT) throw new Error(`state eval: ${describe(r)} ${JSON.stringify(r.body).slice(0, 300)}`);
      });
      log(`state eval: p50 ${out.state_eval.p50_ms} ms (n=${out.state_eval.n})`);
    } else problems.push(`POST /v1/states/{id}/eval → ${describe(first)}`);

    for (const k of plan.branches) {
      const body = { branches: Array.from({ length: k }, () => ({ code: BRANCH_CODE })) };
      const fork = () => call("POST", `/v1/states/${enc}/fork`, body);
      // The first requests apart: on a daemon fresh from boot they run before V8 has optimized
      // the interpreter's hot functions, which the measured run below hides.
      const firsts: number[] = [];
      let failed: Reply | undefined;
      for (let i = 0; i < FIRST_REQUESTS && !failed; i++) {
        const t = performance.now();
        const r = await fork();
        if (r.status !== 200) failed = r;
        else firsts.push(round((k * 1000) / (performance.now() - t), 1));
      }
      if (failed) {
        problems.push(`POST /v1/states/{id}/fork (K=${k}) → ${describe(failed)}`);
        break;
      }
      const perBranch = new Recorder();
      const s = await measureFor(plan.fork, fork, (r) => {
        const results = r.body?.results;
        if (r.status !== 200 || !Array.isArray(results) || results.length !== k) throw new Error(`fork K=${k}: ${describe(r)}`);
        const bad = results.find((x: any) => x.status !== "ok" || x.stdout !== BRANCH_EXPECT);
        if (bad) throw new Error(`fork K=${k}: a branch answered ${JSON.stringify(bad).slice(0, 300)}`);
        for (const x of results) perBranch.record(x.timing.restore_ms + x.timing.exec_ms);
      });
      const b = perBranch.summary();
      const row: ForkRow = {
        branches: k,
        ...s,
        forks_per_s: round((k * s.n * 1000) / s.wall_ms, 1),
        requests_per_s: round((s.n * 1000) / s.wall_ms, 2),
        branch_p50_ms: b.p50_ms,
        branch_p99_ms: b.p99_ms,
        first_forks_per_s: firsts,
      };
      out.forks.push(row);
      log(`fork K=${k}: p50 ${s.p50_ms} ms per request, ${row.forks_per_s} forks/s (n=${s.n}); first ${FIRST_REQUESTS} requests: ${firsts.join(", ")} forks/s`);
    }

    if (plan.treeWalkRequests > 0) {
      try {
        out.tree_walk = await treeWalk(call, id, plan.treeWalkRequests, TREE_WALK_BRANCHES);
        const w = out.tree_walk;
        log(`tree walk: ${w.requests} fork requests of ${w.branches} checkpointing branches, each from another state: ${w.forks_per_s} forks/s, p50 ${w.p50_ms} ms per request`);
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
    }

    if (daemonPid !== null && plan.statesForMemory > 0) {
      const before = treeRssMb(daemonPid);
      const ids: string[] = [];
      for (let i = 0; i < plan.statesForMemory; i++) {
        const r = await call("POST", "/v1/states", { code: STATE_SETUP });
        if (r.status === 201) ids.push(r.body.state_id);
      }
      await new Promise((r) => setTimeout(r, 500));
      const after = treeRssMb(daemonPid);
      if (ids.length) {
        out.rss_per_state_mb = round((after - before) / ids.length, 2);
        out.states_measured = ids.length;
        log(`memory: +${out.rss_per_state_mb} MiB RSS per stored state over ${ids.length} states`);
      }
      for (const s of ids) await call("DELETE", `/v1/states/${encodeURIComponent(s)}`);

      // An RL tree's nodes: many small children of one large state, made by checkpointing forks.
      await new Promise((r) => setTimeout(r, 500));
      const beforeChildren = treeRssMb(daemonPid);
      const children: string[] = [];
      for (let round = 0; round < plan.childRounds; round++) {
        const branches = Array.from({ length: 250 }, (_, i) => ({ code: `x = ${round * 250 + i}\nmoves = [x] * 10`, checkpoint: true }));
        const r = await call("POST", `/v1/states/${enc}/fork`, { branches });
        if (r.status !== 200) {
          problems.push(`checkpointing fork → ${describe(r)}`);
          break;
        }
        for (const b of r.body.results) if (typeof b.state_id === "string") children.push(b.state_id);
      }
      await new Promise((r) => setTimeout(r, 500));
      if (children.length) {
        const child = await call("GET", `/v1/states/${encodeURIComponent(children[0]!)}`);
        if (child.status === 200) out.child_bytes = child.body.bytes;
        out.children_measured = children.length;
        out.rss_per_child_kb = round(((treeRssMb(daemonPid) - beforeChildren) * 1024) / children.length, 1);
        log(`children: ${out.child_bytes} bytes stored, +${out.rss_per_child_kb} KiB RSS each over ${children.length}`);
      }
      for (const s of children) await call("DELETE", `/v1/states/${encodeURIComponent(s)}`);
    }
    await call("DELETE", `/v1/states/${enc}`);
    if (problems.length) out.reason = problems.join("; ");
    return out;
  } finally {
    await pool.close();
  }
}
