// The first fork requests of a daemon fresh from boot (#16: ≥ 2,000 forks/s at K = 256 "from the
// first fork requests after boot and state creation"). The branching section's first requests
// at K = 256 come after the HTTP section and hundreds of smaller fork requests on its daemon;
// here every round starts a new `arbor serve`, makes the state, and times 5 fork requests.
// Rounds alternate the default config (startup warm-up on) with `warm_up_branches: 0`, so the
// warm-up's effect is read within one run.
import { Pool } from "undici";
import { startDaemon } from "../lib/daemon.ts";
import { jsonCaller } from "../lib/json-call.ts";
import type { FreshForks, Plan } from "../lib/results.ts";
import { round } from "../lib/stats.ts";
import { BRANCH_CODE, STATE_SETUP } from "./branching.ts";

const K = 256;
const REQUESTS = 5;

export async function freshForksSection(plan: Plan, rounds: number, log: (s: string) => void): Promise<FreshForks[]> {
  const variants: FreshForks[] = [
    { label: "default (startup warm-up)", config: {}, startup_ms: [], first_forks_per_s: [] },
    { label: "warm_up_branches: 0", config: { warm_up_branches: 0 }, startup_ms: [], first_forks_per_s: [] },
  ];
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 ? [...variants].reverse() : variants) {
      const t0 = performance.now();
      const daemon = await startDaemon(plan.workers, undefined, { config: { spares: 0, ...v.config } });
      v.startup_ms.push(Math.round(performance.now() - t0));
      const pool = new Pool(daemon.url, { connections: 1 });
      try {
        const call = jsonCaller(pool);
        const post = async (path: string, body: unknown) => {
          const r = await call("POST", path, body);
          if (r.status >= 300) throw new Error(`POST ${path} → HTTP ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
          return r.body;
        };
        const state = await post("/v1/states", { code: STATE_SETUP });
        const body = { branches: Array.from({ length: K }, () => ({ code: BRANCH_CODE })) };
        const rates: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          const t = performance.now();
          const fork = await post(`/v1/states/${encodeURIComponent(state.state_id)}/fork`, body);
          if (fork.results?.length !== K || fork.results.some((b: { status: string }) => b.status !== "ok")) throw new Error(`fork: ${JSON.stringify(fork).slice(0, 200)}`);
          rates.push(round((K * 1000) / (performance.now() - t), 1));
        }
        v.first_forks_per_s.push(rates);
        log(`fresh daemon, ${v.label}: startup ${v.startup_ms.at(-1)} ms; first ${REQUESTS} fork requests at K = ${K}: ${rates.join(", ")} forks/s`);
      } finally {
        await pool.close();
        await daemon.stop();
      }
    }
  }
  return variants;
}
