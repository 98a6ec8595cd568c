// What a request costs the daemon while both vCPUs run Python: GET /readyz and a POST /v1/eval
// that validation refuses (400: fastify's JSON parse and zod, no executor), probed on their own
// connection every ~3 ms while the corpus runs at concurrency 2, against the same probes on the
// idle daemon, and the corpus's own overhead (wall − exec_ms) with and without the probes.
//   node --import tsx spikes/29-overhead-floor/floor.mts [rounds=2]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { Recorder, type Summary } from "../../bench/lib/stats.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const rounds = Number(process.argv[2] ?? 2);
const corpus = loadCorpus();
const badBody = JSON.stringify({ code: 1 });
const fmt = (s: Summary) => `p50 ${s.p50_ms.toFixed(3)} / p90 ${s.p90_ms.toFixed(3)} / p99 ${s.p99_ms.toFixed(2)} ms (n=${s.n})`;

async function probe(pool: Pool, kind: "readyz" | "bad"): Promise<number> {
  const t = performance.now();
  const res = kind === "readyz"
    ? await pool.request({ path: "/readyz", method: "GET" })
    : await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: badBody });
  await res.body.text();
  const ms = performance.now() - t;
  if (res.statusCode !== (kind === "readyz" ? 200 : 400)) throw new Error(`${kind}: HTTP ${res.statusCode}`);
  return ms;
}

/** The corpus once at concurrency 2; each call's wall − exec_ms. */
async function corpusPass(pool: Pool, overhead: Recorder): Promise<void> {
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < corpus.length) {
      const entry = corpus[next++]!;
      const t = performance.now();
      const res = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: entry.code, timeout_ms: 30_000 }) });
      const body = JSON.parse(await res.body.text()) as { timing: { exec_ms: number } };
      overhead.record(performance.now() - t - body.timing.exec_ms);
    }
  }));
}

for (let r = 0; r < rounds; r++) {
  const d = await startDaemon(2);
  const load = new Pool(d.url, { connections: 2 });
  const side = new Pool(d.url, { connections: 1 });
  await corpusPass(load, new Recorder()); // warm-up, unrecorded
  const idle = { readyz: new Recorder(), bad: new Recorder() };
  for (let i = 0; i < 1500; i++) {
    const kind = i % 2 ? "bad" : "readyz";
    const ms = await probe(side, kind);
    if (i >= 300) idle[kind].record(ms);
  }
  const busy = { readyz: new Recorder(), bad: new Recorder() };
  const withProbe = new Recorder();
  let running = true;
  const prober = (async () => {
    for (let i = 0; running; i++) {
      const kind = i % 2 ? "bad" : "readyz";
      busy[kind].record(await probe(side, kind));
      await new Promise((res) => setTimeout(res, 3));
    }
  })();
  for (let p = 0; p < 3; p++) await corpusPass(load, withProbe);
  running = false;
  await prober;
  const without = new Recorder();
  for (let p = 0; p < 3; p++) await corpusPass(load, without);
  console.log(`round ${r}`);
  console.log(`  idle daemon:   GET /readyz ${fmt(idle.readyz.summary())}; 400 POST /v1/eval ${fmt(idle.bad.summary())}`);
  console.log(`  corpus at c=2: GET /readyz ${fmt(busy.readyz.summary())}; 400 POST /v1/eval ${fmt(busy.bad.summary())}`);
  console.log(`  corpus overhead (wall − exec_ms): with the probes ${fmt(withProbe.summary())}; without ${fmt(without.summary())}`);
  await load.close();
  await side.close();
  await d.stop();
}
