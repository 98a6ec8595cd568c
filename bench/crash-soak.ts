// `npm run soak:crash -- [--seconds N]`: what a tenant that keeps crashing executors costs the
// other tenants. One daemon (2 workers, tenant isolation), two tenants: "victim" runs
// print(40+2) in a loop; first alone (baseline), then while "attacker" loops calls that trap the
// interpreter (os.abort(), C recursion past the wasm stack) on as many connections as there are
// workers. Reports the victim's latency percentiles in both phases and their ratio, the
// attacker's answers (crashed, then 429 once its crash budget is spent) and the pool's
// respawns. Same machine, same run.
import { Pool as HttpPool } from "undici";
import { createArbor } from "../daemon/src/app.ts";
import { loadConfig } from "../daemon/src/config/index.ts";
import { Recorder } from "./lib/stats.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg("--seconds", 20);
const KEYS = { victim: "soak-victim", attacker: "soak-attacker" };
const CRASHES = ["import os\nos.abort()", "import json\njson.loads('[' * 200000 + ']' * 200000)"];

const config = loadConfig({
  argv: ["--config", "soak.json"],
  env: {},
  readFile: () =>
    JSON.stringify({
      workers: 2,
      spares: 1,
      tenants: [
        { name: "victim", api_key: KEYS.victim },
        { name: "attacker", api_key: KEYS.attacker },
      ],
    }),
});
const arbor = await createArbor({ config });
await arbor.ready();
const base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
const http = new HttpPool(base, { connections: 4 });

async function post(key: string, code: string): Promise<{ status: number; body: any }> {
  const res = await http.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ code }) });
  return { status: res.statusCode, body: await res.body.json() };
}

async function victim(until: number, rec: Recorder): Promise<number> {
  let wrong = 0;
  while (Date.now() < until) {
    const t = performance.now();
    const r = await post(KEYS.victim, "print(40+2)");
    rec.record(performance.now() - t);
    if (r.status !== 200 || r.body.stdout !== "42\n") wrong++;
  }
  return wrong;
}

async function attacker(until: number, counts: Map<string, number>): Promise<void> {
  for (let i = 0; Date.now() < until; i++) {
    const r = await post(KEYS.attacker, CRASHES[i % CRASHES.length]!);
    const key = r.status === 200 ? r.body.status : `${r.status} ${r.body.error?.code}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    // A refused attacker does not wait out Retry-After: it keeps knocking (that must stay cheap).
  }
}

const baseline = new Recorder();
const wrongBefore = await victim(Date.now() + seconds * 1000, baseline);
const underAttack = new Recorder();
const counts = new Map<string, number>();
const poolBefore = arbor.services.pool.stats();
const attackEnd = Date.now() + seconds * 1000;
const [wrongDuring] = await Promise.all([victim(attackEnd, underAttack), attacker(attackEnd, counts), attacker(attackEnd, counts)]);
const poolAfter = arbor.services.pool.stats();
await http.close();
await arbor.close();

const b = baseline.summary();
const a = underAttack.summary();
console.log(
  JSON.stringify(
    {
      seconds_per_phase: seconds,
      victim_baseline_ms: b,
      victim_under_attack_ms: a,
      ratio_p50: Math.round((a.p50_ms / b.p50_ms) * 100) / 100,
      ratio_p99: Math.round((a.p99_ms / b.p99_ms) * 100) / 100,
      victim_wrong_answers: wrongBefore + wrongDuring,
      attacker_answers: Object.fromEntries(counts),
      pool_during_attack: { respawns: poolAfter.respawns - poolBefore.respawns, crashes: poolAfter.crashes - poolBefore.crashes, reassigned: poolAfter.reassigned - poolBefore.reassigned },
    },
    null,
    2,
  ),
);
process.exitCode = wrongBefore + wrongDuring === 0 ? 0 : 1;
