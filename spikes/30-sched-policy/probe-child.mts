// GET /readyz every ~3 ms from a process of its own until stdin closes; prints the p50 / p99 as JSON.
//   node --import tsx probe-child.mts <url>
import { Pool } from "undici";
import { Recorder } from "../../bench/lib/stats.ts";

const pool = new Pool(process.argv[2]!, { connections: 1 });
const rec = new Recorder();
let running = true;
process.stdin.on("end", () => (running = false)).resume();
while (running) {
  const t = performance.now();
  const res = await pool.request({ path: "/readyz", method: "GET" });
  await res.body.text();
  rec.record(performance.now() - t);
  await new Promise((r) => setTimeout(r, 3));
}
process.stdout.write(JSON.stringify(rec.summary()));
await pool.close();
