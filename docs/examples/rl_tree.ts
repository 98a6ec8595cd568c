// An RL-style loop: expand a search tree of interpreter states. Each node is a kept Python
// state; each expansion forks K branches from it (every branch on its own fresh copy), keeps
// them as children (checkpoint), scores them, and continues from the best (a beam search; MCTS
// and GRPO rollouts use the same three calls: createState, fork with checkpoint, eval).
//
//   npm start                                      # in another shell
//   node --import tsx docs/examples/rl_tree.ts     # ARBOR_URL / ARBOR_API_KEY to point elsewhere
import { Client, type State } from "arbor-client";

const DEPTH = 5;
const WIDTH = 8;

export async function searchTree(client: Client): Promise<{ path: number[]; score: number; states: number }> {
  // The environment: a position on a line and a reward that prefers the target 13.
  const root = await client.createState("pos = 0\npath = []\ndef reward():\n    return -abs(13 - pos)");
  let frontier: State = root;
  let best = { path: [] as number[], score: -Infinity };
  let states = 1;
  for (let depth = 0; depth < DEPTH; depth++) {
    const branches = Array.from({ length: WIDTH }, (_, action) => ({
      code: `pos += ${action - 2}\npath.append(${action - 2})\n(reward(), path)`,
      checkpoint: true,
      seed: depth * WIDTH + action,
    }));
    const results = await frontier.fork(branches);
    states += results.length;
    let bestChild = -1;
    let bestHere = -Infinity;
    results.forEach((r, i) => {
      if (r.status !== "ok" || r.result === null) throw new Error(`branch ${i} failed: ${r.error?.message}`);
      const [score, path] = JSON.parse(r.result.replace(/\(/g, "[").replace(/\)/g, "]")) as [number, number[]];
      if (score > bestHere) {
        bestHere = score;
        bestChild = i;
      }
      if (score > best.score) best = { path, score };
    });
    frontier = frontier.child(results[bestChild]!);
  }
  // The parent states never changed: the root still sits at the start.
  const check = await root.eval("(pos, path)");
  if (check.result !== "(0, [])") throw new Error(`root changed: ${check.result}`);
  return { ...best, states };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const client = new Client({ baseUrl: process.env.ARBOR_URL ?? "http://127.0.0.1:8787", apiKey: process.env.ARBOR_API_KEY });
  const best = await searchTree(client);
  console.log(`best path ${JSON.stringify(best.path)} score ${best.score} (${best.states} states kept)`);
  await client.close();
}
