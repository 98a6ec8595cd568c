// One native python3 process per program, the way evaluation harnesses isolate programs: the code
// goes in on stdin (no argv length limit), the verdict is the exit code.
import { spawn } from "node:child_process";

/** A `-c` script that only compiles stdin: exit 0 when the code is valid Python. */
export const COMPILE_ONLY = "import sys; compile(sys.stdin.read(), '<program>', 'exec')";

export interface NativeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runNative(python3: string, args: string[], input: string, timeoutMs = 60_000): Promise<NativeResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // -I: isolated mode (no user site, no PYTHON* env, no cwd on sys.path), as a harness would.
    const child = spawn(python3, ["-I", ...args], { stdio: ["pipe", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * In one python3 process: for each program, compile + exec it once unrecorded (imports, caches),
 * then `runs` times; the median ms of those runs per program (wall, or process CPU with "cpu"). Each run gets a fresh `__main__`, the
 * default decimal context and recursion limit, so one program's settings do not leak into the next.
 * Compile is inside the timed part because Arbor's exec_ms includes it too.
 */
const TIMER = String.raw`
import decimal, json, statistics, sys, time, types
programs = json.load(sys.stdin)
runs = int(sys.argv[1])
clock = time.process_time if sys.argv[2] == "cpu" else time.perf_counter
limit = sys.getrecursionlimit()
out = {}
def once(src):
    mod = types.ModuleType("__main__")
    sys.modules["__main__"] = mod
    decimal.setcontext(decimal.Context())
    sys.setrecursionlimit(limit)
    t = clock()
    exec(compile(src, "<program>", "exec"), mod.__dict__)
    return (clock() - t) * 1000
for name, src in programs:
    once(src)
    out[name] = round(statistics.median(once(src) for _ in range(runs)), 4)
print(json.dumps(out))
`;

export async function timeNative(python3: string, programs: Array<[name: string, code: string]>, runs: number, clock: "wall" | "cpu" = "wall"): Promise<Record<string, number>> {
  const r = await runNative(python3, ["-c", TIMER, String(runs), clock], JSON.stringify(programs), 600_000);
  if (r.code !== 0) throw new Error(`native timing failed: ${r.stderr.slice(-1000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number>;
}

/**
 * Each program's first run in a fresh python3 process that has already imported `preload` (what
 * Arbor's snapshot holds): cold per-process caches (re, functools, ...) like every Arbor call, warm
 * imports. Compile + exec, ms. Modules python3 lacks are skipped.
 */
const COLD = String.raw`
import importlib, json, sys, time, types
job = json.load(sys.stdin)
for m in job["preload"]:
    try:
        importlib.import_module(m)
    except Exception:
        pass
mod = types.ModuleType("__main__")
sys.modules["__main__"] = mod
t = time.perf_counter()
exec(compile(job["code"], "<program>", "exec"), mod.__dict__)
print(json.dumps((time.perf_counter() - t) * 1000))
`;

export async function timeNativeCold(python3: string, programs: Array<[name: string, code: string]>, preload: string[], concurrency = 2): Promise<Record<string, number>> {
  const times = await mapLimit(programs, concurrency, async ([name, code]) => {
    const r = await runNative(python3, ["-c", COLD], JSON.stringify({ preload, code }));
    if (r.code !== 0) throw new Error(`${name}: cold native run failed: ${r.stderr.slice(-500)}`);
    return [name, Math.round(Number(r.stdout.trim().split("\n").pop()) * 1e4) / 1e4] as const;
  });
  return Object.fromEntries(times);
}
