// Tools' outgoing HTTP end to end: a component built with componentize-js that calls
// wasi:http/outgoing-handler, a real HTTP server on 127.0.0.1, Python calling the tool through
// host.tool(...). The daemon performs each request under the calling tenant's web_fetch policy;
// refusals reach the tool as wasi:http error-codes; every request is in the call's host_calls.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { toolEntrySchema } from "../src/tools/config.ts";
import { loadToolRegistry, ToolRegistryError } from "../src/tools/registry.ts";
import { httpGetComponent, HTTP_WASI, misbehaveComponent } from "./tools-fixtures.ts";

const KEYS = { alpha: "alpha-key-0123456789", beta: "beta-key-0123456789" };
const MAX_RESPONSE = 1000;

describe("tools' outgoing HTTP (wasi:http) under the tenant's web_fetch policy", () => {
  let arbor: Arbor;
  let base: string;
  let server: Server;
  let port: number;
  const seen: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === "/big") return void res.end("x".repeat(MAX_RESPONSE * 4));
      res.setHeader("content-type", "text/plain");
      res.end(`hello from ${req.url}`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
    const [http, misbehave] = await Promise.all([httpGetComponent(), misbehaveComponent()]);
    const file = {
      workers: 1,
      tenants: [
        {
          name: "alpha",
          api_key: KEYS.alpha,
          // "localhost" without a port: a name the allow list accepts, whose loopback address the
          // non-public rule still refuses (a loopback destination needs an exact host:port entry).
          capabilities: { tools: { allow: ["get", "add"] }, web_fetch: { allow: [`127.0.0.1:${port}`, "localhost"], max_response_bytes: MAX_RESPONSE } },
        },
        { name: "beta", api_key: KEYS.beta, capabilities: { tools: { allow: ["get"] } } },
      ],
      tools: [
        { name: "get", component: http.path, sha256: http.sha256, wasi: HTTP_WASI, export: "get" },
        { name: "add", component: misbehave.path, sha256: misbehave.sha256, export: "add" },
      ],
    };
    arbor = await createArbor({ config: loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) }) });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await arbor?.close();
    server?.close();
  });

  async function evalAs(tenant: keyof typeof KEYS, code: string) {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS[tenant]}` },
      body: JSON.stringify({ code, timeout_ms: 30_000 }),
    });
    const body = (await res.body.json()) as Record<string, any>;
    assert.equal(body.status, "ok", JSON.stringify(body));
    return body;
  }

  /** The tool's result for `url`, or the ToolError's value and message. */
  const get = (tenant: keyof typeof KEYS, url: string) =>
    evalAs(tenant, `import host\ntry:\n    r = ("ok", host.tool("get", ${JSON.stringify(url)}))\nexcept host.ToolError as e:\n    r = ("err", e.value, str(e))\nr`);

  test("an allowed request is performed by the daemon; the tool gets status and body", async () => {
    const body = await get("alpha", `http://127.0.0.1:${port}/hello?x=1`);
    assert.equal(body.result, "('ok', '200 hello from /hello?x=1')");
    assert.ok(seen.includes("GET /hello?x=1"));
    // The request is a host call of this Python call, recorded before the tool call that made it.
    assert.deepEqual(body.host_calls.map((c: any) => [c.name, c.outcome]), [["tool_http", "ok"], ["tool", "ok"]]);
    assert.equal(body.host_calls[0].args_summary, `get: GET http://127.0.0.1:${port}/hello?x=1`);
    assert.match(body.host_calls[0].detail, /^200, \d+ bytes$/);
  });

  test("a host not in web_fetch.allow: HTTP-request-denied reaches the tool, nothing is sent", async () => {
    const before = seen.length;
    const body = await get("alpha", "http://denied.example.test/secret");
    assert.equal(body.result, `('err', 'error-code HTTP-request-denied', "tool 'get' returned an error: 'error-code HTTP-request-denied'")`);
    assert.equal(seen.length, before);
    assert.deepEqual(body.host_calls.map((c: any) => [c.name, c.outcome]), [["tool_http", "denied"], ["tool", "ok"]]);
    assert.equal(body.host_calls[0].detail, "PermissionError: web_fetch: 'denied.example.test:80' is not in web_fetch.allow");
  });

  test("a non-public address is refused (destination-IP-prohibited) even when its name is allowed", async () => {
    const before = seen.length;
    const body = await get("alpha", `http://localhost:${port}/hello`);
    assert.equal(body.result, `('err', 'error-code destination-IP-prohibited', "tool 'get' returned an error: 'error-code destination-IP-prohibited'")`);
    assert.equal(seen.length, before);
    assert.match(body.host_calls[0].detail, /^PermissionError: web_fetch: 'localhost' resolved to 127\.0\.0\.1, a loopback address/);
  });

  test("a body over web_fetch.max_response_bytes is HTTP-response-body-size, not a cut body", async () => {
    const body = await get("alpha", `http://127.0.0.1:${port}/big`);
    assert.equal(body.result, `('err', 'error-code HTTP-response-body-size', "tool 'get' returned an error: 'error-code HTTP-response-body-size'")`);
    assert.deepEqual(body.host_calls.map((c: any) => [c.name, c.outcome]), [["tool_http", "denied"], ["tool", "ok"]]);
    assert.match(body.host_calls[0].detail, /over web_fetch\.max_response_bytes \(1000\)/);
  });

  test("a tenant without web_fetch: the tool's request is denied, the tool keeps working", async () => {
    const body = await get("beta", `http://127.0.0.1:${port}/hello`);
    assert.equal(body.result, `('err', 'error-code HTTP-request-denied', "tool 'get' returned an error: 'error-code HTTP-request-denied'")`);
    assert.match(body.host_calls[0].detail, /^PermissionError: web_fetch: not granted/);
    const again = await get("alpha", `http://127.0.0.1:${port}/again`);
    assert.equal(again.result, "('ok', '200 hello from /again')");
  });

  test("several requests in one Python call: each is a host call of that call", async () => {
    const body = await evalAs("alpha", `import host\n[host.tool("get", "http://127.0.0.1:${port}/n" + str(i)) for i in range(3)]`);
    assert.equal(body.result, "['200 hello from /n0', '200 hello from /n1', '200 hello from /n2']");
    assert.deepEqual(body.host_calls.map((c: any) => c.name), ["tool_http", "tool", "tool_http", "tool", "tool_http", "tool"]);
  });

  test("a component importing wasi:http is refused unless its manifest declares it", async () => {
    const http = await httpGetComponent();
    const entry = toolEntrySchema.parse({ name: "get", component: http.path, sha256: http.sha256, wasi: HTTP_WASI.filter((w) => w !== "wasi:http/*") });
    const e = await loadToolRegistry([entry], { cacheDir: mkdtempSync(join(tmpdir(), "arbor-tool-cache-")) }).then(
      () => assert.fail("accepted"),
      (err: unknown) => err,
    );
    assert.ok(e instanceof ToolRegistryError);
    assert.match(e.message, /tool 'get': the component imports wasi:http\/(types|outgoing-handler), which its manifest \("wasi"\) does not declare/);
  });
});
