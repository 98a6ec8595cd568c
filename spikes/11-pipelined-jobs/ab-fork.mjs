// Spike 11 (README.md): paired A/B of fork requests. The same state on two running daemons, 200
// state evals each, then K-branch fork requests alternating between them.
//   node spikes/11-pipelined-jobs/ab-fork.mjs http://127.0.0.1:8788 http://127.0.0.1:8787 20 256
import { Pool } from "undici";
const urls = [process.argv[2], process.argv[3]]; const n = Number(process.argv[4] ?? 20); const K = Number(process.argv[5] ?? 256);
const pools = urls.map((u) => new Pool(u, { connections: 1 }));
const call = async (s, method, path, body) => { const r = await pools[s].request({ path, method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) }); return JSON.parse(await r.body.text()); };
const ids = [];
for (const s of [0, 1]) { const st = await call(s, "POST", "/v1/states", { code: "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}" }); ids.push(encodeURIComponent(st.state_id)); }
for (const s of [0, 1]) for (let i = 0; i < 200; i++) await call(s, "POST", `/v1/states/${ids[s]}/eval`, { code: "print(len(big) + len(d))" });
const body = { branches: Array.from({ length: K }, () => ({ code: "print(len(big) + len(d))" })) };
const rates = [[], []];
for (let i = 0; i < n; i++) for (const s of i % 2 ? [0, 1] : [1, 0]) {
  const t = performance.now(); const r = await call(s, "POST", `/v1/states/${ids[s]}/fork`, body); const w = performance.now() - t;
  if (!r.results || r.results.some((b) => b.stdout !== "110000\n")) throw new Error(JSON.stringify(r).slice(0, 300));
  rates[s].push(K * 1000 / w);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const s of [0, 1]) console.log(`${s ? "B" : "A"}: first 5 ${rates[s].slice(0, 5).map((x) => x.toFixed(0)).join(", ")} | median of the rest ${med(rates[s].slice(5)).toFixed(0)} forks/s`);
for (const p of pools) await p.close();
