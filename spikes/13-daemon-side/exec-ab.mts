// exec_ms of print(2+2), paired: one daemon from each checkout, alternating blocks of 1,000
// sequential calls; p50 of each block's exec_ms and wall, medians over the blocks.
// Run: node --import tsx spikes/13-daemon-side/exec-ab.mts DIR_A DIR_B [blocks=8]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";

const [dirA, dirB, blocksArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error("usage: exec-ab.mts DIR_A DIR_B [blocks]");
const daemons = [await startDaemon(2, undefined, { checkout: dirA, config: { spares: 0 } }), await startDaemon(2, undefined, { checkout: dirB, config: { spares: 0 } })];
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
try {
  const pools = daemons.map((d) => new Pool(d.url, { connections: 1 }));
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
  for (const d of daemons) await d.stop();
}
