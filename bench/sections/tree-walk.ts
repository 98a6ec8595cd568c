// A tree search over the states endpoints: from the branching section's state, `requests` fork
// requests of `branches` checkpointing branches each, every one from a node picked (fixed seed)
// among the states made so far, each branch changing a little of its parent. Unlike the fork rows,
// where every branch starts from one state, here executors keep moving between states, as MCTS or
// RL rollouts over a tree do. The states made are deleted afterwards.
import type { JsonCall } from "../lib/json-call.ts";
import type { TreeWalk } from "../lib/results.ts";
import { Recorder, round } from "../lib/stats.ts";

export async function treeWalk(call: JsonCall, rootId: string, requests: number, branches: number): Promise<TreeWalk> {
  const nodes = [rootId];
  const made: string[] = [];
  let seed = 12_345;
  const pick = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return nodes[seed % nodes.length]!;
  };
  const requestTimes = new Recorder();
  // Over the fork requests only (one connection, back to back): the deletes are not counted.
  let busy = 0;
  const branchTimes = { restore: new Recorder(), exec: new Recorder(), checkpoint: new Recorder() };
  try {
    for (let i = 0; i < requests; i++) {
      const body = {
        branches: Array.from({ length: branches }, (_, k) => ({
          code: `path = globals().get("path", []) + [${k}]\nbig[${i * branches + k}] = -1\nprint(len(path), sum(path), big[${i * branches + k}])`,
          checkpoint: true,
        })),
      };
      const t = performance.now();
      const r = await call("POST", `/v1/states/${encodeURIComponent(pick())}/fork`, body);
      const took = performance.now() - t;
      requestTimes.record(took);
      busy += took;
      const results = r.body?.results;
      if (r.status !== 200 || !Array.isArray(results) || results.length !== branches) throw new Error(`tree walk: fork → HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      for (const x of results) {
        if (x.status !== "ok" || typeof x.state_id !== "string" || !/^\d+ \d+ -1\n$/.test(x.stdout)) throw new Error(`tree walk: a branch answered ${JSON.stringify(x).slice(0, 300)}`);
        nodes.push(x.state_id);
        made.push(x.state_id);
        branchTimes.restore.record(x.timing.restore_ms);
        branchTimes.exec.record(x.timing.exec_ms);
        branchTimes.checkpoint.record(x.timing.checkpoint_ms);
      }
    }
  } finally {
    for (const id of made.reverse()) await call("DELETE", `/v1/states/${encodeURIComponent(id)}`);
  }
  const perRequest = requestTimes.summary();
  return {
    requests,
    branches,
    states: made.length,
    forks_per_s: round((requests * branches * 1000) / busy, 1),
    p50_ms: perRequest.p50_ms,
    p90_ms: perRequest.p90_ms,
    p99_ms: perRequest.p99_ms,
    branch_p50_ms: { restore: branchTimes.restore.summary().p50_ms, exec: branchTimes.exec.summary().p50_ms, checkpoint: branchTimes.checkpoint.summary().p50_ms },
  };
}
