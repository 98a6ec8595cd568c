// How often a fork branch's job is already in its executor's pipe when the executor finishes the
// previous branch's restore: restore_wait_ms > 0 means the job was sent before that restore ended.
//   node --import tsx spikes/27-fork-prefetch/check.mts            # main
//   node --import tsx spikes/27-fork-prefetch/check.mts <0|1>      # with prefetch.patch applied
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";

const K = 64;
const prefetch = process.argv[2];
const d = await startDaemon(2, undefined, { config: { spares: 0, ...(prefetch === undefined ? {} : { fork_prefetch: Number(prefetch) }) } });
const pool = new Pool(d.url, { connections: 2 });
const post = async (path: string, body: unknown) => {
  const r = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await r.body.json()) as { state_id: string; results: { timing: { restore_wait_ms: number } }[] };
};
const state = await post("/v1/states", { code: "x = list(range(1000))" });
const fork = await post(`/v1/states/${state.state_id}/fork`, { branches: Array.from({ length: K }, () => ({ code: "sum(x)" })) });
const waited = fork.results.filter((r) => r.timing.restore_wait_ms > 0).length;
console.log(`fork_prefetch ${prefetch ?? "(main)"}: ${waited} of ${K} branches found their job sent before the previous restore ended`);
await pool.close();
await d.stop();
process.exit(0);
