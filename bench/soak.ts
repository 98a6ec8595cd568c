// `node --import tsx bench/soak.ts [--minutes N] [--concurrency C]`: mixed good and hostile
// calls against a real daemon for N minutes; reports wrong answers, statuses, latency
// percentiles of the good calls, and the daemon's RSS over time (it must stay flat).
import { Pool as HttpPool } from "undici";
import { createArbor } from "../daemon/src/app.ts";
import { loadConfig } from "../daemon/src/config/index.ts";
import { Recorder } from "./lib/stats.ts";

const MIX: Array<{ name: string; code: string; expect: (b: any) => boolean; timeout_ms?: number }> = [
  { name: "good", code: "x = 21\nx * 2", expect: (b) => b.status === "ok" && b.result === "42" },
  { name: "json", code: "import json\nlen(json.dumps(list(range(1000))))", expect: (b) => b.status === "ok" && b.result === "4890" },
  { name: "error", code: "1/0", expect: (b) => b.status === "error" && b.error.type === "ZeroDivisionError" },
  { name: "loop", code: "while True: pass", timeout_ms: 200, expect: (b) => b.status === "timeout" },
  { name: "c-loop", code: "sum(range(10**13))", timeout_ms: 200, expect: (b) => b.status === "timeout" },
  { name: "memory", code: "x = bytearray(2**30)", expect: (b) => b.status === "memory_limit" },
  { name: "flood", code: "while True: print('x' * 10000)", expect: (b) => b.status === "output_limit" },
  { name: "plant", code: "import builtins\nbuiltins.leak = 1", expect: (b) => b.status === "ok" },
  { name: "check", code: "import builtins\nhasattr(builtins, 'leak')", expect: (b) => b.status === "ok" && b.result === "False" },
];

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const minutes = arg("--minutes", 1);
const concurrency = arg("--concurrency", 4);

const arbor = await createArbor({ config: loadConfig({ argv: [], env: {} }) });
await arbor.ready();
const base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
const http = new HttpPool(base, { connections: concurrency });
const latency = new Recorder();
const counts = new Map<string, number>();
let wrong = 0;
let calls = 0;
const rss: Array<[number, number]> = [];
const started = Date.now();
const endAt = started + minutes * 60_000;
const sampler = setInterval(() => rss.push([Math.round((Date.now() - started) / 1000), Math.round(process.memoryUsage().rss / 2 ** 20)]), 5000);

async function worker(seed: number) {
  let i = seed;
  while (Date.now() < endAt) {
    const item = MIX[i++ % MIX.length]!;
    const t = performance.now();
    const res = await http.request({
      path: "/v1/eval",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: item.code, timeout_ms: item.timeout_ms }),
    });
    const body = (await res.body.json()) as any;
    calls++;
    const key = `${item.name}:${res.statusCode === 200 ? body.status : res.statusCode}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (res.statusCode === 200 && !item.expect(body)) wrong++;
    if (item.name === "good") latency.record(performance.now() - t);
  }
}
await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i * 3)));
clearInterval(sampler);
await http.close();
const stats = arbor.services.pool.stats();
await arbor.close();
console.log(JSON.stringify({ minutes, concurrency, calls, wrong_answers: wrong, outcomes: Object.fromEntries([...counts].sort()), good_call_latency: latency.summary(), daemon_rss_mb_over_time: rss, pool: stats }, null, 2));
process.exitCode = wrong === 0 ? 0 : 1;
