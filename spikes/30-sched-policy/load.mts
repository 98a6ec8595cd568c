// What spike 30's scripts share: the corpus at concurrency 2, the /readyz probe loop, the executors.
import { execFileSync } from "node:child_process";
import type { Pool } from "undici";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

export type Timing = { exec_ms: number; total_ms: number; queue_ms: number; restore_wait_ms: number };
const corpus = loadCorpus();

/** The corpus once at concurrency 2 over `pool`; `onCall` gets each call's client wall and timing. Returns the pass's seconds. */
export async function corpusPass(pool: Pool, onCall?: (wallMs: number, timing: Timing) => void): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all([0, 1].map(async () => {
    while (next < corpus.length) {
      const entry = corpus[next++]!;
      const t = performance.now();
      const res = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: entry.code, timeout_ms: 30_000 }) });
      const { timing } = JSON.parse(await res.body.text()) as { timing: Timing };
      onCall?.(performance.now() - t, timing);
    }
  }));
  return (performance.now() - t0) / 1000;
}

export const corpusSize = corpus.length;

/** GET /readyz on `pool`, one every ~3 ms, until `stop()` is true; each round trip's ms to `record`. */
export async function probeReadyz(pool: Pool, stop: () => boolean, record: (ms: number) => void): Promise<void> {
  while (!stop()) {
    const t = performance.now();
    const res = await pool.request({ path: "/readyz", method: "GET" });
    await res.body.text();
    record(performance.now() - t);
    await new Promise((r) => setTimeout(r, 3));
  }
}

/** The daemon's child processes: its executors (and any spare or tool host). */
export function executorsOf(daemonPid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(daemonPid)], { encoding: "utf8" }).trim().split("\n").map(Number);
  } catch {
    return [];
  }
}

/** Every thread of each executor at SCHED_IDLE (chrt -i). */
export function executorsIdle(daemonPid: number): void {
  for (const p of executorsOf(daemonPid)) execFileSync("chrt", ["-i", "-a", "-p", "0", String(p)]);
}
