// Spike 20 (README.md): a tree search over HTTP, where every fork request starts from a different
// state, so executors keep entering states: a root state (the fork bench's), then WALK requests,
// each forking K branches with checkpoints from a node picked at random among those made so far
// (a fixed seed: both checkouts walk the same tree), each branch changing a little of its parent.
// Fresh daemons of two checkouts alternate; per round: forks/s over the walk, request p50/p90.
//   node --import tsx spikes/20-entry-alias/tree-walk.mts <other checkout> [rounds=6] [walk=60] [K=8]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";

const other = process.argv[2];
if (!other) throw new Error("usage: tree-walk.mts <other checkout> [rounds] [walk] [K]");
const rounds = Number(process.argv[3] ?? 6);
const walk = Number(process.argv[4] ?? 60);
const K = Number(process.argv[5] ?? 8);
const variants = [
  { label: "this tree", checkout: undefined as string | undefined, rates: [] as number[], p50: [] as number[], p90: [] as number[] },
  { label: other, checkout: other, rates: [] as number[], p50: [] as number[], p90: [] as number[] },
];
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
for (let r = 0; r < rounds; r++) {
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    const d = await startDaemon(2, undefined, { checkout: v.checkout, config: { spares: 0 } });
    const pool = new Pool(d.url, { connections: 1 });
    try {
      const post = async (path: string, body: unknown) => {
        const res = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const json = (await res.body.json()) as any;
        if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${JSON.stringify(json).slice(0, 200)}`);
        return json;
      };
      const nodes: string[] = [(await post("/v1/states", { code: `${STATE_SETUP}\ndepth = 0\npath = []` })).state_id];
      let seed = 12345;
      const pick = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), nodes[seed % nodes.length]!);
      const times: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < walk; i++) {
        const from = pick();
        const branches = Array.from({ length: K }, (_, k) => ({ code: `depth += 1\npath.append(${k})\nbig[${i * K + k}] = -1\nprint(depth, sum(path), big[${i * K + k}])`, checkpoint: true }));
        const t = performance.now();
        const f = await post(`/v1/states/${encodeURIComponent(from)}/fork`, { branches });
        times.push(performance.now() - t);
        if (f.results?.length !== K || f.results.some((b: { status: string }) => b.status !== "ok")) throw new Error(JSON.stringify(f).slice(0, 300));
        for (const b of f.results) nodes.push(b.state_id);
      }
      const rate = Math.round((walk * K * 1000) / (performance.now() - t0));
      v.rates.push(rate);
      v.p50.push(pct(times, 0.5));
      v.p90.push(pct(times, 0.9));
      console.log(`round ${r} ${v.label}: ${rate} forks/s over ${walk} requests of ${K} (tree of ${nodes.length} states); request p50 ${pct(times, 0.5).toFixed(1)} ms, p90 ${pct(times, 0.9).toFixed(1)} ms`);
    } finally {
      await pool.close();
      await d.stop();
    }
  }
}
for (const v of variants) console.log(`${v.label}: median over ${rounds} rounds: ${pct(v.rates, 0.5)} forks/s; request p50 ${pct(v.p50, 0.5).toFixed(1)} ms, p90 ${pct(v.p90, 0.5).toFixed(1)} ms`);
