// exec_ms of print(2+2), paired: one daemon from each checkout, alternating blocks of 1,000
// sequential calls; p50 of each block's exec_ms and wall, medians over the blocks.
// Run: node --import tsx spikes/13-daemon-side/exec-ab.mts DIR_A DIR_B [blocks=8]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Pool } from "undici";
import { waitIdle } from "../../bench/lib/daemon.ts";

const [dirA, dirB, blocksArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error("usage: exec-ab.mts DIR_A DIR_B [blocks]");
writeFileSync("/tmp/exec-ab13.json", JSON.stringify({ workers: 2, spares: 0 }));
const ports = [18671, 18672];
const daemons = [dirA, dirB].map((dir, i) => spawn(process.execPath, [join(dir, "daemon/bin/arbor.mjs"), "serve", "--config", "/tmp/exec-ab13.json", "--port", String(ports[i]), "--log-level", "warn"], { stdio: ["ignore", "ignore", "inherit"] }));
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
try {
  const pools = ports.map((p) => new Pool(`http://127.0.0.1:${p}`, { connections: 1 }));
  for (const p of ports) await waitIdle(`http://127.0.0.1:${p}`);
  const exec: number[][] = [[], []], wall: number[][] = [[], []];
  const blocks = Number(blocksArg ?? 8);
  for (let b = 0; b < blocks + 1; b++) {
    for (const i of b % 2 ? [1, 0] : [0, 1]) {
      const e: number[] = [], w: number[] = [];
      for (let n = 0; n < 1000; n++) {
        const t = performance.now();
        const r = await pools[i]!.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "print(2+2)" }) });
        const j = (await r.body.json()) as { timing: { exec_ms: number } };
        w.push(performance.now() - t);
        e.push(j.timing.exec_ms);
      }
      if (b > 0) { exec[i]!.push(p50(e)); wall[i]!.push(p50(w)); } // block 0 warms both up
    }
  }
  console.log(`exec_ms p50: A ${p50(exec[0]!).toFixed(3)}  B ${p50(exec[1]!).toFixed(3)}  B/A ${(p50(exec[1]!) / p50(exec[0]!)).toFixed(3)}`);
  console.log(`wall p50:    A ${p50(wall[0]!).toFixed(3)}  B ${p50(wall[1]!).toFixed(3)}  B/A ${(p50(wall[1]!) / p50(wall[0]!)).toFixed(3)}`);
  for (const p of pools) await p.close();
} finally {
  for (const d of daemons) d.kill("SIGTERM");
}
