// Sequential print(2+2) and GET /readyz against default daemons (2 workers, 1 spare: the bench's
// HTTP section) that differ only in loop_spin_us, alternating; p50 of calls 501–N per block.
//   node --import tsx spikes/26-daemon-spin/seq.mts [rounds=3] [calls=3000]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";

const [rounds = 3, calls = 3000] = process.argv.slice(2).map(Number);
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const body = JSON.stringify({ code: "print(2+2)" });
for (let r = 0; r < rounds; r++) {
  for (const spin of r % 2 ? [1000, 0] : [0, 1000]) {
    const d = await startDaemon(2, undefined, { config: { loop_spin_us: spin } });
    const pool = new Pool(d.url, { connections: 1 });
    const time = async (f: () => Promise<unknown>) => {
      const out: number[] = [];
      for (let i = 0; i < calls; i++) {
        const t = performance.now();
        await f();
        out.push(performance.now() - t);
      }
      return p50(out.slice(500));
    };
    const ready = await time(async () => (await pool.request({ path: "/readyz", method: "GET" })).body.text());
    const print = await time(async () => (await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body })).body.text());
    const health = JSON.parse(await (await pool.request({ path: "/healthz", method: "GET" })).body.text()).loop_spin;
    console.log(`round ${r} loop_spin_us ${spin}: readyz ${ready.toFixed(3)} ms, print ${print.toFixed(3)} ms (${(print / ready).toFixed(2)}×); poll hits ${health.hits} misses ${health.misses} budget ${health.budget_us}`);
    await pool.close();
    await d.stop();
  }
}
