// The compute speed suite: small pyperformance-style benchmarks (bench/compute/*.py), each made
// runnable by appending harness.py, which times ITERATIONS iterations with time.perf_counter after
// a warm-up, checks a checksum, and prints one JSON line {bench, iterations, ms_per_iter}.
// The same code runs natively (python3) and in Arbor, so the two numbers are comparable.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ComputeBench {
  /** NAME from the file (also the JSON line's "bench"). */
  name: string;
  /** The file's first comment line. */
  title: string;
  file: string;
  /** The benchmark plus the harness: one self-contained program. */
  code: string;
}

export interface ComputeResult {
  bench: string;
  iterations: number;
  /** Wall time per timed iteration (time.perf_counter). */
  ms_per_iter: number;
  /** time.process_time per iteration, warm-up included (process CPU natively; a wall clock in Pyodide). */
  cpu_ms_per_iter: number;
}

export const COMPUTE_DIR = fileURLToPath(new URL(".", import.meta.url));
const HARNESS = "harness.py";

export function loadComputeSuite(dir: string = COMPUTE_DIR): ComputeBench[] {
  const harness = readFileSync(join(dir, HARNESS), "utf8");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".py") && f !== HARNESS)
    .sort()
    .map((file) => {
      const source = readFileSync(join(dir, file), "utf8");
      const name = /^NAME = "([^"]+)"$/m.exec(source)?.[1];
      if (!name) throw new Error(`bench/compute/${file}: no NAME = "..." line`);
      const title = /^#\s*(.+)$/m.exec(source)?.[1] ?? name;
      return { name, title, file, code: `${source}\n\n${harness}` };
    });
}

/** The JSON line a benchmark printed (the last line of its stdout); throws if it is not there. */
export function parseComputeOutput(b: ComputeBench, stdout: string): ComputeResult {
  const line = stdout.trim().split("\n").pop() ?? "";
  let r: ComputeResult;
  try {
    r = JSON.parse(line) as ComputeResult;
  } catch {
    throw new Error(`${b.name}: expected a JSON line, got ${JSON.stringify(stdout.slice(-300))}`);
  }
  if (r.bench !== b.name || !(r.ms_per_iter > 0)) throw new Error(`${b.name}: unexpected result ${line}`);
  return r;
}
