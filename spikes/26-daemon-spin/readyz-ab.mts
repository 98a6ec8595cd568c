// `print(2+2)` over HTTP against `GET /readyz`, fresh daemons alternating loop_spin_us 0 and 1000:
// per daemon 1,000 unmeasured pairs, then four blocks of 1,000 sequential calls of each, one
// keep-alive connection; p50s and their ratio.
//   npx -p node@24 -c 'node --import tsx spikes/26-daemon-spin/readyz-ab.mts [rounds=3]'
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";

const rounds = Number(process.argv[2] ?? 3);
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (let round = 0; round < rounds; round++) {
  for (const spin of round % 2 ? [1000, 0] : [0, 1000]) {
    const d = await startDaemon(2, undefined, { config: { loop_spin_us: spin } });
    const pool = new Pool(d.url, { connections: 1 });
    const readyz = async () => {
      const r = await pool.request({ path: "/readyz", method: "GET" });
      await r.body.text();
    };
    const print = async () => {
      const r = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: '{"code":"print(2+2)"}' });
      await r.body.text();
    };
    const timed = async (f: () => Promise<void>, into: number[]) => {
      const t = performance.now();
      await f();
      into.push(performance.now() - t);
    };
    for (let i = 0; i < 1000; i++) {
      await readyz();
      await print();
    }
    const rz: number[] = [];
    const ev: number[] = [];
    for (let b = 0; b < 4; b++) {
      for (let i = 0; i < 1000; i++) await timed(print, ev);
      for (let i = 0; i < 1000; i++) await timed(readyz, rz);
    }
    console.log(`loop_spin_us ${spin}: readyz p50 ${p50(rz).toFixed(3)} ms, print p50 ${p50(ev).toFixed(3)} ms, ratio ${(p50(ev) / p50(rz)).toFixed(2)}`);
    await pool.close();
    await d.stop();
  }
}
process.exit(0);
