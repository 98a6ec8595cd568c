// Tools section: one Python call that calls a WebAssembly tool (host.tool), next to one that runs
// an allowlisted command (host.shell) and one that calls a plain Python function, on the same
// daemon call path (in process: scheduler → executor → bridge → tool host), one executor.
// Rows: the whole Python call (what a client waits for, minus HTTP), and for bridge rows the
// host call alone as the daemon timed it (host_calls[].duration_ms).
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createArbor } from "../../daemon/src/app.ts";
import { loadConfig } from "../../daemon/src/config/index.ts";
import { misbehaveComponent, readerComponent, READER_WASI, summarizeComponent } from "../../daemon/test/tools-fixtures.ts";
import type { Budget, Timed } from "../lib/stats.ts";
import { measureFor, Recorder, round } from "../lib/stats.ts";

export interface ToolRow extends Timed {
  row: string;
  what: string;
  /** p50 ÷ the plain Python function's p50. */
  ratio_p50: number;
  /** The host call alone, as the daemon timed it (bridge rows only). */
  host_call?: { p50_ms: number; p99_ms: number };
}

const ROWS: Array<{ row: string; what: string; code: string; expect: string; hostCall: boolean }> = [
  { row: "python/function", what: "a plain Python function", code: "def add(a, b):\n    return a + b\nadd(2, 3)", expect: "5", hostCall: false },
  { row: "bridge/shell", what: 'host.shell(["true"])', code: 'import host\nhost.shell(["true"])["exit_code"]', expect: "0", hostCall: true },
  { row: "tool/add-wat", what: "host.tool(\"add\", 2, 3): a 1-function component (WAT), warm instance", code: 'import host\nhost.tool("add", 2, 3)', expect: "5", hostCall: true },
  {
    row: "tool/summarize-js",
    what: "host.tool(\"summarize\", ...): a JS component (componentize-js, ~12 MB), records and lists, warm instance",
    code: 'import host\nhost.tool("summarize", "ada", [{"label": "pen", "qty": 2, "price": 1.5}], None)["count"]',
    expect: "1",
    hostCall: true,
  },
  {
    row: "tool/reader-js",
    what: "host.tool(\"reader\", ...): a JS component reading a file (wasi:filesystem), a fresh instance made per call",
    code: 'import host\nlen(host.tool("reader", "notes.txt"))',
    expect: "15",
    hostCall: true,
  },
];

export async function toolsSection(budget: Budget, log: (s: string) => void): Promise<{ rows: ToolRow[]; layers: Record<string, { active: boolean; detail: string }> }> {
  const [summarize, reader, misbehave] = await Promise.all([summarizeComponent(), readerComponent(), misbehaveComponent()]);
  const root = mkdtempSync(join(tmpdir(), "arbor-bench-tools-"));
  chmodSync(root, 0o755);
  writeFileSync(join(root, "notes.txt"), "inside the root");
  const file = {
    workers: 1,
    capabilities: {
      files: { root },
      shell: { allow: ["true"] },
      tools: { allow: ["add", "summarize", "reader"] },
      max_host_calls: 100_000,
    },
    tools: [
      { name: "add", component: misbehave.path, sha256: misbehave.sha256, export: "add" },
      { name: "summarize", component: summarize.path, sha256: summarize.sha256 },
      { name: "reader", component: reader.path, sha256: reader.sha256, wasi: READER_WASI, export: "read-text" },
    ],
  };
  const config = loadConfig({ argv: ["--config", "bench.json"], env: {}, readFile: () => JSON.stringify(file) });
  const arbor = await createArbor({ config });
  await arbor.ready();
  const tenant = arbor.services.authenticate({ headers: {} } as never);
  const rows: ToolRow[] = [];
  try {
    for (const r of ROWS) {
      const hostCall = new Recorder();
      const s = await measureFor(
        budget,
        async () => {
          const { response } = await arbor.services.calls.eval({ code: r.code }, { requestId: "bench", tenant });
          const call = response.host_calls[0];
          if (call) hostCall.record(call.duration_ms);
          return response;
        },
        (res) => {
          if (res.status !== "ok" || res.result !== r.expect) throw new Error(`${r.row}: ${res.status} ${res.result} ${JSON.stringify(res.error)}`);
        },
      );
      const h = hostCall.summary();
      rows.push({ row: r.row, what: r.what, ...s, ratio_p50: 0, ...(r.hostCall ? { host_call: { p50_ms: h.p50_ms, p99_ms: h.p99_ms } } : {}) });
      log(`tools ${r.row}: p50 ${s.p50_ms} ms p99 ${s.p99_ms} ms (n=${s.n})`);
    }
  } finally {
    await arbor.close();
  }
  const base = rows[0]!.p50_ms;
  for (const r of rows) r.ratio_p50 = round(r.p50_ms / base, 2);
  return { rows, layers: arbor.services.tools.health().host?.layers ?? {} };
}
