// Runs every corpus program natively with python3: checks both verdicts (the correct variant exits
// 0; the broken one exits non-zero and still compiles, so its bug is behaviour, not syntax) and
// measures the correct variant's time.
//   node --import tsx bench/workloads/measure-native.ts            check + print times
//   node --import tsx bench/workloads/measure-native.ts --write    ... and write native-ms.json
//   node --import tsx bench/workloads/measure-native.ts strings/   only programs matching a prefix
// Time = median of 7 warm runs (compile + exec) inside one python3 process, after one unrecorded
// run that pays the imports: comparable to Arbor's exec_ms, whose interpreter has the stdlib
// preloaded. Malformed program headers are reported per file.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolvePython3 } from "../lib/machine.ts";
import { CORPUS_DIR, parseProgram, programFiles, type Program } from "./corpus.ts";
import { COMPILE_ONLY, mapLimit, runNative, timeNative } from "./native.ts";

async function main(args: string[]): Promise<number> {
  const write = args.includes("--write");
  const prefix = args.find((a) => !a.startsWith("--")) ?? "";
  // The interpreter itself: a pyenv-style shim on PATH costs ~0.3 s per process.
  const resolved = resolvePython3();
  if ("error" in resolved) throw new Error(`python3 is needed: ${resolved.error}`);
  const python3 = resolved.path;
  const problems: string[] = [];
  const programs: Program[] = [];
  for (const [name, path] of programFiles().filter(([name]) => name.startsWith(prefix))) {
    try {
      programs.push(parseProgram(readFileSync(path, "utf8"), name));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const verdicts = await mapLimit(programs, 2, async (p) => {
    const good = await runNative(python3, ["-"], p.correct);
    const bad = await runNative(python3, ["-"], p.broken);
    const compiles = (await runNative(python3, ["-c", COMPILE_ONLY], p.broken)).code === 0;
    if (good.code !== 0) problems.push(`${p.program}: correct variant failed: ${good.stderr.trim().split("\n").pop()}`);
    if (bad.code === 0) problems.push(`${p.program}: broken variant passed (${p.bug})`);
    if (!compiles) problems.push(`${p.program}: broken variant does not compile`);
    return { ok: good.code === 0, why: bad.stderr.trim().split("\n").pop() ?? "" };
  });
  const passing = programs.filter((_, i) => verdicts[i]!.ok);
  const times = await timeNative(python3, passing.map((p) => [p.program, p.correct]), 7);
  programs.forEach((p, i) => {
    console.log(`${p.program.padEnd(36)} ${String(times[p.program] ?? "-").padStart(9)} ms   broken: ${verdicts[i]!.why.slice(0, 70)}`);
  });
  const sorted = Object.values(times).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.log(`${programs.length} programs; native ms p50 ${at(0.5)}, p90 ${at(0.9)}, max ${sorted[sorted.length - 1]}; over 20 ms: ${sorted.filter((t) => t > 20).length}`);
  for (const x of problems) console.error(`PROBLEM ${x}`);
  if (write && !prefix && !problems.length) {
    const file = join(CORPUS_DIR, "native-ms.json");
    const note = "Median warm time (compile + exec) of each correct program in native CPython (python3), ms; written by measure-native.ts --write";
    writeFileSync(file, `${JSON.stringify({ note, programs: times }, null, 1)}\n`);
    console.log(`wrote ${file}`);
  }
  return problems.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
