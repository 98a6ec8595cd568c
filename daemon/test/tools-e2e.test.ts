// Tools end to end on a real daemon: Python in the sandbox calls WebAssembly components (built
// during the test run, cached by source hash) through the bridge; they run in the confined tool
// host process. Grants per tenant, type checks, the files root, a trap, an endless loop and a
// memory hog (the tool host survives all three), concurrent calls, GET /v1/tools, /healthz, MCP.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { clockComponent, misbehaveComponent, readerComponent, READER_WASI, summarizeComponent } from "./tools-fixtures.ts";

const KEYS = { alpha: "alpha-key-0123456789", beta: "beta-key-0123456789", gamma: "gamma-key-0123456789", delta: "delta-key-0123456789" };
const ALL = ["summarize", "reader", "writer", "writer_ro", "boom", "spin", "hog", "add", "now"];

describe("tools end to end", () => {
  let arbor: Arbor;
  let base: string;
  let root: string;

  before(async () => {
    const [summarize, reader, misbehave, clock] = await Promise.all([summarizeComponent(), readerComponent(), misbehaveComponent(), clockComponent()]);
    root = mkdtempSync(join(tmpdir(), "arbor-tools-root-"));
    chmodSync(root, 0o755); // the tool host may run as another uid: it must be able to read the root
    writeFileSync(join(root, "notes.txt"), "inside the root");
    const outside = mkdtempSync(join(tmpdir(), "arbor-tools-outside-"));
    writeFileSync(join(outside, "secret.txt"), "TOP-SECRET");
    symlinkSync(join(outside, "secret.txt"), join(root, "link.txt"));
    const m = (name: string, extra: Record<string, unknown> = {}) => ({ name, component: misbehave.path, sha256: misbehave.sha256, export: name, ...extra });
    const file = {
      workers: 2,
      tenants: [
        { name: "alpha", api_key: KEYS.alpha, capabilities: { files: { root, write: true }, tools: { allow: ALL } } },
        { name: "beta", api_key: KEYS.beta, capabilities: { tools: { allow: ["add", "reader"] } } },
        { name: "gamma", api_key: KEYS.gamma, capabilities: {} },
        { name: "delta", api_key: KEYS.delta, capabilities: { files: { root }, tools: { allow: ["writer"] } } },
      ],
      tools: [
        { name: "summarize", component: summarize.path, sha256: summarize.sha256, description: "Totals a list of items." },
        { name: "reader", component: reader.path, sha256: reader.sha256, wasi: READER_WASI, export: "read-text" },
        { name: "writer", component: reader.path, sha256: reader.sha256, wasi: READER_WASI, export: "write-text", filesystem_write: true },
        { name: "writer_ro", component: reader.path, sha256: reader.sha256, wasi: READER_WASI, export: "write-text" },
        m("boom"),
        m("spin", { timeout_ms: 500 }),
        m("hog", { memory_mb: 8 }),
        m("add"),
        { name: "now", component: clock.path, sha256: clock.sha256, wasi: ["wasi:clocks/monotonic-clock"] },
      ],
    };
    const config = loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
    arbor = await createArbor({ config });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await arbor?.close();
  });

  async function evalAs(tenant: keyof typeof KEYS, code: string, extra: Record<string, unknown> = {}) {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS[tenant]}` },
      // Generous: a JS component's fresh instance costs ~100 ms, far more on a loaded machine.
      body: JSON.stringify({ code, timeout_ms: 30_000, ...extra }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
  }

  /** Runs code that ends with an expression; returns its repr, failing with the Python error. */
  async function value(tenant: keyof typeof KEYS, code: string, extra: Record<string, unknown> = {}): Promise<string> {
    const { body } = await evalAs(tenant, code, extra);
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    return body.result;
  }

  test("host.tools() lists what the tenant may call, with WIT signatures", async () => {
    assert.equal(await value("alpha", "import host\n[t['name'] for t in host.tools()]"), "['summarize', 'reader', 'writer', 'writer_ro', 'boom', 'spin', 'hog', 'add', 'now']");
    assert.equal(
      await value("alpha", "import host\nt = host.tools()[0]\n(t['signature'], t['description'], t['types']['item'])"),
      "('summarize(name: string, items: list<item>, note: option<string>) -> result<summary, string>', 'Totals a list of items.', 'record { label: string, qty: u32, price: f64 }')",
    );
    assert.equal(await value("beta", "import host\n[t['name'] for t in host.tools()]"), "['reader', 'add']");
    assert.equal(await value("gamma", "import host\nhost.tools()"), "[]");
  });

  test("a pure function: strings, records and lists in, a record out; its error case raises ToolError", async () => {
    const { body } = await evalAs(
      "alpha",
      `import host
s = host.tool("summarize", "ada", [{"label": "pen", "qty": 2, "price": 1.25}, {"label": "ink", "qty": 1, "price": 3.5}], "thanks")
try:
    host.tool("summarize", "bob", [], None)
except host.ToolError as e:
    err = (e.value, str(e))
(s, err)`,
    );
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(
      body.result,
      "({'greeting': 'hello ada', 'count': 2, 'total': 6, 'tags': ['pen', 'ink'], 'note': 'thanks'}, ('no items', \"tool 'summarize' returned an error: 'no items'\"))",
    );
    assert.deepEqual(body.host_calls.map((c: any) => [c.name, c.outcome]), [["tool", "ok"], ["tool", "ok"]]);
    assert.match(body.host_calls[0].args_summary, /^summarize\("ada",\[\{"label":"pen"/);
    assert.equal(body.host_calls[1].detail, 'returned err "no items"');
  });

  test("arguments are checked against the signature: TypeError names the parameter", async () => {
    const { body } = await evalAs(
      "alpha",
      `import host
out = []
for args in [("ada", [{"label": "pen", "qty": "2", "price": 1.0}], None), ("ada",), ("ada", [{"label": "x", "qty": 1, "price": 1.0, "color": "red"}], None)]:
    try:
        host.tool("summarize", *args)
    except TypeError as e:
        out.append(str(e))
out`,
    );
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(
      body.result,
      `["tool 'summarize': parameter items[0].qty: expected int (u32), got str", "tool 'summarize' takes 3 arguments (name, items, note), got 1", "tool 'summarize': parameter items[0]: record item has no field 'color'"]`,
    );
    assert.ok(body.host_calls.every((c: any) => c.outcome === "error" && c.detail.startsWith("TypeError")));
  });

  test("a tool reads under the files root and cannot read outside it; its stdout joins the call's", async () => {
    const { body } = await evalAs(
      "alpha",
      `import host
got = [host.tool("reader", "notes.txt")]
for p in ["../" + "x/secret.txt", "/etc/hostname", "link.txt", "missing.txt"]:
    try:
        got.append(host.tool("reader", p))
    except host.ToolError as e:
        got.append(e.value)
got`,
    );
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(
      body.result,
      "['inside the root', 'cannot open ../x/secret.txt: not-permitted', 'cannot open /etc/hostname: not-permitted', 'cannot open link.txt: loop', 'cannot open missing.txt: no-entry']",
    );
    assert.ok(!JSON.stringify(body).includes("TOP-SECRET"));
    assert.match(body.stdout, /^reading notes\.txt\nreading \.\.\/x\/secret\.txt\n/);
  });

  test("a tool writes under the root only with filesystem_write and the tenant's files.write", async () => {
    const { body } = await evalAs(
      "alpha",
      `import host
got = [host.tool("writer", "out.txt", "written by a tool")]
for name, path in [("writer_ro", "ro.txt"), ("writer", "../escape.txt")]:
    try:
        got.append(host.tool(name, path, "x"))
    except host.ToolError as e:
        got.append(e.value)
got`,
    );
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(body.result, "[17, 'cannot write ro.txt: read-only', 'cannot write ../escape.txt: not-permitted']");
    assert.equal(readFileSync(join(root, "out.txt"), "utf8"), "written by a tool");
    assert.ok(!existsSync(join(root, "ro.txt")));
    assert.ok(!existsSync(join(dirname(root), "escape.txt")));
    // delta's files policy is read-only: the same tool cannot write for it.
    const delta = 'import host\ntry:\n    host.tool("writer", "d.txt", "x")\nexcept host.ToolError as e:\n    r = e.value\nr';
    assert.equal(await value("delta", delta), "'cannot write d.txt: read-only'");
    assert.ok(!existsSync(join(root, "d.txt")));
  });

  test("denials raise PermissionError: a tool not granted, no tools capability, a files tool without files", async () => {
    const denied = (tenant: keyof typeof KEYS, call: string, extra = {}) =>
      value(tenant, `import host\ntry:\n    ${call}\nexcept PermissionError as e:\n    r = str(e)\nr`, extra);
    assert.equal(await denied("beta", 'host.tool("summarize", "x", [], None)'), "\"tools: 'summarize' is not in capabilities.tools.allow\"");
    assert.equal(await denied("gamma", 'host.tool("add", 1, 2)'), "'tools: not granted (capabilities.tools is not enabled in the policy)'");
    assert.equal(
      await denied("beta", 'host.tool("reader", "notes.txt")'),
      "\"tools: 'reader' uses wasi:filesystem, which needs the files capability (capabilities.files is not enabled in the policy)\"",
    );
    // The request narrows what the tenant has: without "tools" in its capabilities, no tools.
    assert.equal(
      await denied("alpha", 'host.tool("add", 1, 2)', { capabilities: ["files"] }),
      "\"tools: not granted (the request's capabilities do not include 'tools')\"",
    );
    assert.equal(await value("alpha", 'import host\nhost.tool("add", 40, 2)', { capabilities: ["tools"] }), "42");
    const refused = await evalAs("gamma", "1", { capabilities: ["tools"] });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "capability_denied");
  });

  test("a trap, an endless loop and a memory hog end as errors; the tool host survives all three", async () => {
    const pid = arbor.services.tools.host!.pid;
    const { body } = await evalAs(
      "alpha",
      `import host
out = []
for name, exc in [("boom", host.ToolError), ("spin", TimeoutError), ("hog", host.ToolMemoryError)]:
    try:
        host.tool(name)
        out.append((name, "returned"))
    except exc as e:
        out.append((name, type(e).__name__, str(e)))
    out.append(host.tool("add", 2, 3))
print(json.dumps(out))`.replace("import host", "import host, json"),
    );
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    const [boom, five1, spin, five2, hog, five3] = JSON.parse(body.stdout);
    assert.deepEqual([five1, five2, five3], [5, 5, 5], "the next call works after each failure");
    assert.deepEqual(boom.slice(0, 2), ["boom", "ToolError"]);
    assert.match(boom[2], /^tools: 'boom' trapped: .*unreachable/);
    assert.deepEqual(spin, ["spin", "TimeoutError", "tools: 'spin': the tool ran past its time limit (500 ms)"]);
    assert.deepEqual(hog.slice(0, 2), ["hog", "ToolMemoryError"]);
    assert.match(hog[2], /^tools: 'hog' hit its memory limit \(memory_mb = 8\)/);
    assert.equal(arbor.services.tools.host!.pid, pid, "same tool host process");
    assert.equal(arbor.services.tools.host!.restarts, 0);
    // An uncaught tool memory error is the tool's, not this interpreter's: status error.
    const uncaught = await evalAs("alpha", 'import host\nhost.tool("hog")');
    assert.equal(uncaught.body.status, "error");
    assert.equal(uncaught.body.error.type, "ToolMemoryError");
  });

  test("WASI imports a tool declares work (monotonic clock)", async () => {
    assert.equal(await value("alpha", 'import host\na = host.tool("now"); b = host.tool("now")\n(type(a).__name__, b >= a > 0)'), "('int', True)");
  });

  test("concurrent Python calls call tools at once, each gets its own answer", async () => {
    const names = ["ann", "ben", "cy", "dee", "eve", "fay"];
    const results = await Promise.all(
      names.map((n, i) =>
        value("alpha", `import host\n[host.tool("summarize", "${n}", [{"label": "x", "qty": ${i + 1}, "price": 2.0}], None)["total"] + host.tool("add", ${i}, 100) for _ in range(3)]`),
      ),
    );
    assert.deepEqual(results, names.map((_, i) => `[${(i + 1) * 2 + i + 100}, ${(i + 1) * 2 + i + 100}, ${(i + 1) * 2 + i + 100}]`));
  });

  test("GET /v1/tools lists the caller's tools", async () => {
    const list = async (tenant: keyof typeof KEYS) => {
      const res = await request(`${base}/v1/tools`, { headers: { authorization: `Bearer ${KEYS[tenant]}` } });
      return { status: res.statusCode, body: (await res.body.json()) as any };
    };
    const alpha = await list("alpha");
    assert.equal(alpha.status, 200);
    assert.deepEqual(alpha.body.tools.map((t: any) => t.name), ALL);
    const add = alpha.body.tools.find((t: any) => t.name === "add");
    assert.deepEqual(
      { signature: add.signature, params: add.params, result: add.result, interfaces: add.interfaces },
      { signature: "add(a: s32, b: s32) -> s32", params: [{ name: "a", type: "s32" }, { name: "b", type: "s32" }], result: "s32", interfaces: [] },
    );
    assert.match(add.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual((await list("beta")).body.tools.map((t: any) => t.name), ["reader", "add"]);
    assert.deepEqual((await list("delta")).body.tools.map((t: any) => t.name), ["writer"]);
    assert.deepEqual((await list("gamma")).body, { tools: [] });
    const anonymous = await request(`${base}/v1/tools`);
    assert.equal(anonymous.statusCode, 401);
    await anonymous.body.dump();
  });

  test("/healthz shows the registered tools and the tool host's confinement", async () => {
    const res = await request(`${base}/healthz`);
    const body = (await res.body.json()) as any;
    assert.deepEqual(body.tools.registered.map((t: any) => t.name), ALL);
    assert.deepEqual(body.tools.registered.find((t: any) => t.name === "now").interfaces, ["wasi:clocks/monotonic-clock@0.2.3"]);
    assert.equal(body.tools.host.running, true);
    for (const layer of ["landlock", "unprivileged_uid", "node_permission", "seccomp", "empty_environment", "wasm_memory_cap"]) {
      assert.equal(typeof body.tools.host.layers[layer].active, "boolean", layer);
    }
    // Every inactive layer is listed with its reason, never dropped silently.
    for (const host of [body.tools.host, body.tools.write_host]) {
      const inactive = Object.entries(host.layers).filter(([, l]: any) => !l.active).map(([n]) => n);
      assert.deepEqual(host.inactive.map((l: string) => l.split(":")[0]), inactive);
    }
    // Calls that may write run in their own host, without the seccomp filter (it refuses file
    // writes); every other call keeps it, as the executors do on this machine.
    assert.equal(body.tools.write_host.layers.seccomp.active, false);
    assert.match(body.tools.write_host.layers.seccomp.detail, /may write files/);
    assert.equal(body.tools.host.layers.seccomp.active, body.security.layers.seccomp.active);
  });

  test("a tool host that dies is started again for the next call", async () => {
    const host = arbor.services.tools.host!;
    const pid = host.pid!;
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (host.pid === null) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    process.kill(pid, "SIGKILL");
    await exited;
    assert.equal(await value("alpha", 'import host\nhost.tool("add", 20, 22)'), "42");
    assert.notEqual(host.pid, pid);
    assert.equal(host.restarts, 1);
  });

  test("MCP: the tenant's tools are MCP tools next to run_python", async () => {
    const client = new Client({ name: "arbor-test", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${KEYS.beta}` } } }));
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name), ["run_python", "reader", "add"]);
      const add = tools.find((t) => t.name === "add")!;
      assert.deepEqual(Object.keys((add.inputSchema as any).properties), ["a", "b"]);
      const ok = (await client.callTool({ name: "add", arguments: { a: 20, b: 22 } })) as CallToolResult;
      assert.equal(ok.isError, false, JSON.stringify(ok.content));
      assert.equal((ok.content[0] as { text: string }).text, "42");
      // A grant the tenant lacks stays a denial over MCP too.
      const readerDenied = (await client.callTool({ name: "reader", arguments: { path: "notes.txt" } })) as CallToolResult;
      assert.equal(readerDenied.isError, true);
      assert.match((readerDenied.content[0] as { text: string }).text, /PermissionError: tools: 'reader' uses wasi:filesystem/);
    } finally {
      await client.close();
    }
  });
});
