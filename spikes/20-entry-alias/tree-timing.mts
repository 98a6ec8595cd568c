// Spike 20 (README.md, section 4): the bench's tree walk on one fresh daemon (2 workers, no
// spares), with the daemon's own timing of every branch (queue, restore, exec, total) summed and
// as medians, to see how much of a checkpointing branch is neither of them.
//   node --import tsx spikes/20-entry-alias/tree-timing.mts
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";
const d = await startDaemon(2, undefined, { config: { spares: 0 } });
const pool = new Pool(d.url, { connections: 1 });
const post = async (path: string, body: unknown) => { const res = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }); return (await res.body.json()) as any; };
const nodes: string[] = [(await post("/v1/states", { code: STATE_SETUP })).state_id];
let seed = 12345; const pick = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), nodes[seed % nodes.length]!);
const walls: number[] = []; const t: Record<string, number[]> = {};
for (let i = 0; i < 60; i++) {
  const branches = Array.from({ length: 8 }, (_, k) => ({ code: `path = globals().get("path", []) + [${k}]\nbig[${i * 8 + k}] = -1\nprint(len(path), sum(path), big[${i * 8 + k}])`, checkpoint: true }));
  const t0 = performance.now();
  const f = await post(`/v1/states/${encodeURIComponent(pick())}/fork`, { branches });
  walls.push(performance.now() - t0);
  for (const b of f.results) { nodes.push(b.state_id); for (const [k, v] of Object.entries(b.timing)) if (typeof v === "number") (t[k] ??= []).push(v); }
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`requests: wall sum ${sum(walls).toFixed(0)} ms, p50 ${med(walls).toFixed(1)} ms; branches 480`);
for (const [k, v] of Object.entries(t)) console.log(`  ${k}: median ${med(v).toFixed(3)}, sum ${sum(v).toFixed(0)} ms`);
await pool.close(); await d.stop();
