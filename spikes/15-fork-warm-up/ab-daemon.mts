// Spike 15 (README.md): two fresh daemons (2 workers, no spares), B's executors launched with
// extra environment (JSON argv[2]); then spike 11's ab-fork.mjs alternates K=256 fork requests.
//   node --import tsx spikes/15-fork-warm-up/ab-daemon.mts '{"ARBOR_SPIKE_JS_SETTLE":"64"}' [rounds=3]
import { spawnSync } from "node:child_process";
import { startDaemon } from "../../bench/lib/daemon.ts";

const envB = JSON.parse(process.argv[2] ?? "{}") as Record<string, string>;
const rounds = Number(process.argv[3] ?? 3);
for (let r = 0; r < rounds; r++) {
  const daemons = [await startDaemon(2, undefined, { config: { spares: 0 } }), await startDaemon(2, undefined, { config: { spares: 0 }, env: envB })];
  try {
    const ab = spawnSync(process.execPath, [new URL("../11-pipelined-jobs/ab-fork.mjs", import.meta.url).pathname, daemons[0]!.url, daemons[1]!.url, "12", "256"], { encoding: "utf8" });
    console.log(`round ${r}\n${ab.stdout}${ab.stderr}`);
  } finally {
    for (const d of daemons) await d.stop();
  }
}
