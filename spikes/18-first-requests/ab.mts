// Spike 18 (README.md): fresh daemons of two checkouts, alternated, each timed on its first fork
// requests at K = 256 on a new state (the bench's fresh-forks shape), from one client process
// (warm after the first round, as in `npm run bench`).
//   node --import tsx spikes/18-first-requests/ab.mts <other checkout> [rounds=8] [requests=5]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { BRANCH_CODE, STATE_SETUP } from "../../bench/sections/branching.ts";

const other = process.argv[2];
if (!other) throw new Error("usage: ab.mts <other checkout> [rounds] [requests]");
const rounds = Number(process.argv[3] ?? 8);
const requests = Number(process.argv[4] ?? 5);
const K = 256;
const variants = [
  { label: "this tree", checkout: undefined as string | undefined, rates: [] as number[][] },
  { label: other, checkout: other, rates: [] as number[][] },
];
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
      const st = await post("/v1/states", { code: STATE_SETUP });
      const body = { branches: Array.from({ length: K }, () => ({ code: BRANCH_CODE })) };
      const rates: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        const f = await post(`/v1/states/${encodeURIComponent(st.state_id)}/fork`, body);
        if (f.results?.length !== K) throw new Error(JSON.stringify(f).slice(0, 200));
        rates.push(Math.round((K * 1000) / (performance.now() - t)));
      }
      v.rates.push(rates);
      console.log(`round ${r} ${v.label}: ${rates.join(", ")} forks/s`);
    } finally {
      await pool.close();
      await d.stop();
    }
  }
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
for (const v of variants) {
  const kept = v.rates.slice(1); // round 0 met a cold client
  const perRequest = Array.from({ length: requests }, (_, i) => median(kept.map((x) => x[i]!)));
  console.log(`${v.label}: median of rounds 1–${rounds - 1} per request: ${perRequest.join(", ")} forks/s`);
}
