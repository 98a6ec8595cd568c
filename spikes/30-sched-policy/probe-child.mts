// GET /readyz every ~3 ms from a process of its own until stdin closes; prints the p50 / p99 as JSON.
//   node --import tsx probe-child.mts <url>
import { Pool } from "undici";
import { Recorder } from "../../bench/lib/stats.ts";
import { probeReadyz } from "./load.mts";

const pool = new Pool(process.argv[2]!, { connections: 1 });
const rec = new Recorder();
let stopped = false;
process.stdin.on("end", () => (stopped = true)).resume();
await probeReadyz(pool, () => stopped, (ms) => rec.record(ms));
process.stdout.write(JSON.stringify(rec.summary()));
await pool.close();
