// The workload corpus (bench/workloads/): every program's correct variant passes and its broken
// variant fails, in native CPython (python3, exit code) and in a real Arbor executor (status "ok"
// / "error"). A corpus entry whose verdict differs between the two would make the bench's
// comparison meaningless, and a broken variant that passes would not be a bug.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { ExecutorProcess } from "../../runtime/src/host/executor-process.ts";
import type { Job } from "../../runtime/src/protocol/messages.ts";
import { resolvePython3 } from "../lib/machine.ts";
import { loadCorpus, loadPrograms, parseProgram, type CorpusEntry } from "../workloads/corpus.ts";
import { mapLimit, runNative } from "../workloads/native.ts";
import type { Summary } from "../lib/stats.ts";
import { readyzWhile, toRun, type Call } from "../sections/workloads.ts";
import { corpusMarkdown, nativeSpeedRatios, type CorpusReport } from "../sections/workloads-report.ts";

const entries = loadCorpus();

/** The interpreter itself, not a pyenv-style shim (which costs ~0.3 s per process). */
function python3(): string {
  const r = resolvePython3();
  if ("error" in r) throw new Error(`python3 is needed for the corpus test (install Debian's python3 package): ${r.error}`);
  return r.path;
}

/** Compiles every code in one python3 process; returns the indexes that do not compile. */
async function notCompiling(py: string, codes: string[]): Promise<number[]> {
  const script = "import json, sys\nbad = []\nfor i, c in enumerate(json.load(sys.stdin)):\n    try:\n        compile(c, '<program>', 'exec')\n    except SyntaxError:\n        bad.append(i)\nprint(json.dumps(bad))";
  const r = await runNative(py, ["-c", script], JSON.stringify(codes));
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as number[];
}

describe("workload corpus: shape", () => {
  test("at least 150 programs over the planned categories, both variants of each, unique names", () => {
    const programs = loadPrograms();
    assert.ok(programs.length >= 150, `${programs.length} programs`);
    assert.equal(entries.length, programs.length * 2);
    assert.equal(new Set(entries.map((e) => e.name)).size, entries.length);
    const categories = new Set(programs.map((p) => p.category));
    for (const c of ["strings", "regex", "dicts", "lists", "sorting", "recursion", "classes", "json", "datetime", "decimal", "itertools", "agent", "graphs", "dp"]) {
      assert.ok(categories.has(c), `category ${c}`);
    }
    for (const e of entries) assert.equal(e.expect, e.variant === "correct" ? "pass" : "fail", e.name);
    // The broken variant is the correct one with the header's replacements applied, nothing else.
    for (const p of programs) assert.notEqual(p.correct, p.broken, p.program);
  });

  test("every program has a native time in native-ms.json", () => {
    const missing = entries.filter((e) => e.native_ms === undefined).map((e) => e.program);
    assert.deepEqual([...new Set(missing)], [], "run: node --import tsx bench/workloads/measure-native.ts --write");
  });

  test("a malformed header is rejected with the program's name", () => {
    const ok = "# t\n# bug: b\n# break: \"x = 1\" -> \"x = 2\"\nx = 1\nassert x == 1\n";
    assert.match(parseProgram(ok, "c/p").broken, /x = 2/);
    assert.doesNotMatch(parseProgram(ok, "c/p").correct, /break:/);
    assert.throws(() => parseProgram(ok.replace("x = 1\nassert", "y = 1\nassert"), "c/p"), /c\/p: break text "x = 1" occurs 0 times/);
    assert.throws(() => parseProgram("# t\n# bug: b\nx = 1\n", "c/p"), /no '# break:' line/);
    assert.throws(() => parseProgram("# t\n# break: \"x\" -> \"y\"\nx = 1\n", "c/p"), /no '# bug:' line/);
    assert.throws(() => parseProgram("# t\n# bug: b\n# break: \"x\" => \"y\"\nx\n", "c/p"), /expected ' -> '/);
  });
});

describe("workload corpus: native python3", () => {
  const py = python3();

  test("every broken variant still compiles (the bug is in behaviour, not syntax)", async () => {
    const broken = entries.filter((e) => e.variant === "broken");
    const bad = await notCompiling(py, broken.map((e) => e.code));
    assert.deepEqual(bad.map((i) => broken[i]!.name), []);
  });

  test("correct variants exit 0, broken variants exit non-zero", async () => {
    const got = await mapLimit(entries, 2, async (e) => ({ e, r: await runNative(py, ["-"], e.code) }));
    const wrong = got
      .filter(({ e, r }) => (r.code === 0) !== (e.expect === "pass"))
      .map(({ e, r }) => `${e.name}: expected ${e.expect}, exit ${r.code} ${r.stderr.trim().split("\n").pop() ?? ""}`);
    assert.deepEqual(wrong, []);
  });
});

describe("workload corpus: Arbor executor", () => {
  let ex: ExecutorProcess;
  before(async () => {
    ex = await ExecutorProcess.spawn();
  });
  after(() => ex?.kill("killed_shutdown"));

  const job = (e: CorpusEntry): Job => ({ code: e.code, timeout_ms: 30_000, memory_mb: 256, max_output_bytes: 1 << 20 });

  test("correct variants end with status ok, broken ones with status error (not a SyntaxError)", async () => {
    const wrong: string[] = [];
    for (const e of entries) {
      const o = await ex.run(job(e));
      const want = e.expect === "pass" ? "ok" : "error";
      if (o.status !== want) wrong.push(`${e.name}: expected ${want}, got ${o.status} ${o.error ? `${o.error.type}: ${o.error.message.slice(0, 200)}` : ""}`);
      else if (o.status === "error" && o.error?.type === "SyntaxError") wrong.push(`${e.name}: failed with a SyntaxError`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe("workloads section: where the executors' time went", () => {
  const entry = entries[0]!;
  const call = (wall: number, exec_ms: number, restore_ms: number): Call => ({ entry, wall, verdict: entry.expect, timing: { queue_ms: 0, restore_ms, exec_ms, total_ms: exec_ms } });

  test("exec and restore shares of workers × wall, and the programs/s with zero overhead", () => {
    // 4 calls in 100 ms on 2 workers: 120 ms of exec (60 % of 200), 20 ms of restore (10 %);
    // with nothing but exec, 2 workers would finish them in 60 ms: 66.7 calls/s.
    const run = toRun("arbor-http", 2, [call(40, 30, 5), call(40, 30, 5), call(40, 50, 5), call(40, 10, 5)], 100, new Map([[entry.name, entry.expect]]), 2);
    assert.deepEqual(run.time_split, { workers: 2, exec_share: 0.6, restore_share: 0.1, exec_bound_per_s: 66.7 });
    assert.equal(run.programs_per_s, 40);
  });

  test("the zero-overhead ratio at native speed: scaled by Σ Arbor exec ÷ Σ native cold, only where both are known", () => {
    const report: CorpusReport = {
      programs: 1, entries: 2, categories: ["x"], passes: 1, native_ms: { p50: 1, p90: 1, max: 1, over_20ms: 0, sum: 1 }, runs: [], native_vs_expected: [],
      ratios: [{ concurrency: 2, arbor_per_s: 120, python3_per_s: 30, ratio: 4, exec_bound_ratio: 5 }, { concurrency: 4, arbor_per_s: 130, python3_per_s: 30, ratio: 4.33 }],
      exec_vs_native: { programs: 1, geomean: 2, p50: 2, geomean_cold: 2, p50_cold: 2, slowest: [], sum_exec_ms: 3000, sum_native_ms: 1500, sum_native_cold_ms: 1800 },
    };
    // Python at native speed takes 1800 of the 3000 ms: the zero-overhead ratio 5× grows to 8.33×.
    assert.deepEqual(nativeSpeedRatios(report), [{ concurrency: 2, ratio: 5 * (3000 / 1800) }]);
    assert.match(corpusMarkdown(report).join("\n"), /would be about 8\.3× at c=2 \(/);
    assert.deepEqual(nativeSpeedRatios({ ...report, exec_vs_native: undefined }), []);
  });

  test("a row without daemon timings (python3) has no split", () => {
    const run = toRun("python3-subprocess", 2, [{ entry, wall: 50, verdict: entry.expect }], 50, new Map(), 2);
    assert.equal(run.time_split, undefined);
  });
});

describe("workloads section: GET /readyz while the corpus runs", () => {
  let server: Server;
  let url = "";
  let answer = 200;
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.statusCode = answer;
      res.end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test("probes on their own connection until the work settles, and hands back the work's value", async () => {
    seen.length = 0;
    const { value, readyz } = await readyzWhile(url, new Promise((r) => setTimeout(() => r("done"), 150)));
    assert.equal(value, "done");
    assert.ok(readyz.n >= 2, `only ${readyz.n} probe(s) in 150 ms`);
    assert.ok(seen.length >= readyz.n && seen.every((s) => s === "GET /readyz"), seen.join(", "));
    const probes = seen.length;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(seen.length, probes, "probing went on after the work settled");
  });

  test("a probe that fails fails the section", async () => {
    answer = 503;
    try {
      await assert.rejects(readyzWhile(url, new Promise((r) => setTimeout(r, 50))), /GET \/readyz while the corpus ran: HTTP 503/);
    } finally {
      answer = 200;
    }
  });

  test("the report states the probe's percentiles beside the warm-up passes", () => {
    const s = (p50: number, p99: number, n: number): Summary => ({ n, p50_ms: p50, p90_ms: p50, p99_ms: p99, p999_ms: p99, max_ms: p99 });
    const run = { ...toRun("arbor-http", 2, [], 1000, new Map(), 2), first_pass: { programs_per_s: 150, exec: s(2, 90, 320), readyz: s(0.644, 11.4, 600) } };
    const md = corpusMarkdown({ programs: 1, entries: 2, categories: ["x"], passes: 1, native_ms: { p50: 1, p90: 1, max: 1, over_20ms: 0, sum: 1 }, runs: [run], ratios: [], native_vs_expected: [] }).join("\n");
    assert.match(md, /`GET \/readyz` on a connection of its own, one every ~3 ms: c=2 p50 \/ p99 0\.644 \/ 11\.4 ms \(n=600\)/);
  });
});
