// Spike 23 (README.md): what keeping a large state costs over HTTP. Two daemons (this tree and
// another checkout) run side by side; in alternating blocks each creates states of the fork
// bench's size (~1,000 changed pages) and ten times that, then deletes them. Per checkout: client
// wall, `timing.checkpoint_ms` and `timing.total_ms` of POST /v1/states, quartiles over all blocks
// but the first (warm-up).
//   node --import tsx spikes/23-large-checkpoint/create-states.mts <other checkout> [blocks=6] [per block=8]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";

const other = process.argv[2];
if (!other) throw new Error("usage: create-states.mts <other checkout> [blocks] [per block]");
const blocks = Number(process.argv[3] ?? 6);
const perBlock = Number(process.argv[4] ?? 8);
const SIZES = [
  { label: "bench state", code: STATE_SETUP },
  { label: "10x", code: "big = list(range(10**6))\nd = {i: str(i) for i in range(10**5)}" },
];
type Samples = Record<string, { wall: number[]; checkpoint: number[]; total: number[] }>;
const variants = await Promise.all(
  [undefined, other].map(async (checkout) => {
    const d = await startDaemon(2, undefined, { checkout, config: { spares: 0 } });
    const samples: Samples = Object.fromEntries(SIZES.map((s) => [s.label, { wall: [], checkpoint: [], total: [] }]));
    return { label: checkout ?? "this tree", d, pool: new Pool(d.url, { connections: 1 }), samples };
  }),
);
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const quartiles = (xs: number[]) => [0.25, 0.5, 0.75].map((q) => pct(xs, q).toFixed(1)).join(" / ");
try {
  for (let b = 0; b < blocks; b++) {
    for (const v of b % 2 ? [...variants].reverse() : variants) {
      for (const size of SIZES) {
        for (let i = 0; i < perBlock; i++) {
          const t = performance.now();
          const res = await v.pool.request({ path: "/v1/states", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `${size.code}\nn = ${i}` }) });
          const json = (await res.body.json()) as { state_id: string; status: string; timing: { checkpoint_ms: number; total_ms: number } };
          const wall = performance.now() - t;
          if (res.statusCode >= 300 || json.status !== "ok") throw new Error(`${v.label}: ${res.statusCode} ${JSON.stringify(json).slice(0, 300)}`);
          if (b > 0) {
            // Block 0 warms both daemons up.
            const s = v.samples[size.label]!;
            s.wall.push(wall);
            s.checkpoint.push(json.timing.checkpoint_ms);
            s.total.push(json.timing.total_ms);
          }
          await (await v.pool.request({ path: `/v1/states/${json.state_id}`, method: "DELETE" })).body.dump();
        }
      }
    }
  }
  for (const v of variants) {
    for (const [label, s] of Object.entries(v.samples)) {
      console.log(`${v.label}, ${label}: n=${s.wall.length}, p25 / p50 / p75 ms: wall ${quartiles(s.wall)}, checkpoint_ms ${quartiles(s.checkpoint)}, total_ms ${quartiles(s.total)}`);
    }
  }
} finally {
  for (const v of variants) {
    await v.pool.close();
    await v.d.stop();
  }
}
