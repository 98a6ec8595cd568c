// Fresh daemons (2 workers, no spare) alternating loop_spin_us 0 and 1000, each timed on its
// first fork requests at K = 256 on a new state (the bench's fresh-forks shape).
//   node --import tsx spikes/26-daemon-spin/fresh-forks.mts [rounds=6] [requests=5]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { BRANCH_CODE, STATE_SETUP } from "../../bench/sections/branching.ts";

const [rounds = 6, requests = 5] = process.argv.slice(2).map(Number);
const K = 256;
const rates = new Map<number, number[][]>([[0, []], [1000, []]]);
for (let r = 0; r < rounds; r++) {
  for (const spin of r % 2 ? [1000, 0] : [0, 1000]) {
    const d = await startDaemon(2, undefined, { config: { spares: 0, loop_spin_us: spin } });
    const pool = new Pool(d.url, { connections: 1 });
    try {
      const post = async (path: string, body: unknown) => {
        const res = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const json = (await res.body.json()) as { state_id?: string; results?: unknown[] };
        if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${JSON.stringify(json).slice(0, 200)}`);
        return json;
      };
      const st = await post("/v1/states", { code: STATE_SETUP });
      const body = { branches: Array.from({ length: K }, () => ({ code: BRANCH_CODE })) };
      const got: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        const f = await post(`/v1/states/${encodeURIComponent(st.state_id!)}/fork`, body);
        if (f.results?.length !== K) throw new Error("short fork");
        got.push(Math.round((K * 1000) / (performance.now() - t)));
      }
      rates.get(spin)!.push(got);
      console.log(`round ${r} loop_spin_us ${spin}: ${got.join(", ")} forks/s`);
    } finally {
      await pool.close();
      await d.stop();
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const [spin, all] of rates) {
  console.log(`loop_spin_us ${spin}: median per request ${Array.from({ length: requests }, (_, i) => median(all.map((x) => x[i]!))).join(", ")} forks/s`);
}
