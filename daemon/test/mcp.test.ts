// The run_python MCP tool through the MCP SDK's own client, over every way in: /mcp on a real
// daemon (with a tenant, so the Bearer key matters), `arbor mcp` on stdio with its own
// interpreters, and `arbor mcp` on stdio forwarding to the daemon (ARBOR_URL).
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

const BIN = fileURLToPath(new URL("../bin/arbor.mjs", import.meta.url));
const KEY = "mcp-test-key-0123456789";

function stdioClient(env: Record<string, string>): Promise<Client> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "mcp"],
    env: { ...inherited, ARBOR_CONFIG: "", ...env },
    stderr: "ignore",
  });
  return connect(transport);
}

async function connect(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<Client> {
  const client = new Client({ name: "arbor-test", version: "0" });
  await client.connect(transport);
  return client;
}

// The in-process stdio server boots its own interpreter (seconds): start it at load, while the
// daemon boots.
const ownInterpreters = stdioClient({ ARBOR_WORKERS: "1" });

let arbor: Arbor;
let base: string;
const clients: Record<string, Client> = {};

before(async () => {
  const config = loadConfig({
    argv: ["--config", "/arbor.json"],
    env: { ARBOR_WORKERS: "2" },
    readFile: () => JSON.stringify({ tenants: [{ name: "agents", api_key: KEY }] }),
  });
  arbor = await createArbor({ config });
  await arbor.ready();
  base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  const http = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${KEY}` } },
  });
  [clients.http, clients.stdio, clients["stdio → ARBOR_URL"]] = await Promise.all([
    connect(http),
    ownInterpreters,
    stdioClient({ ARBOR_URL: base, ARBOR_API_KEY: KEY }),
  ]);
});

after(async () => {
  await Promise.all(Object.values(clients).map((c) => c.close()));
  await arbor.close();
});

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

for (const name of ["http", "stdio", "stdio → ARBOR_URL"]) {
  describe(`run_python over ${name}`, () => {
    const call = async (args: Record<string, unknown>) =>
      (await clients[name]!.callTool({ name: "run_python", arguments: args })) as CallToolResult;

    test("tools/list has run_python with its input schema", async () => {
      const { tools } = await clients[name]!.listTools();
      const tool = tools.find((t) => t.name === "run_python");
      assert.ok(tool, "run_python listed");
      const props = tool.inputSchema.properties as Record<string, { type: string }>;
      assert.equal(props.code!.type, "string");
      assert.equal(props.timeout_ms!.type, "integer");
      assert.deepEqual(tool.inputSchema.required, ["code"]);
      assert.ok(tool.description?.includes("fresh"));
    });

    test("prints and returns a value: stdout, then the result", async () => {
      const result = await call({ code: "print('hello')\n6 * 7" });
      assert.notEqual(result.isError, true);
      assert.equal(text(result), "[stdout]\nhello\n\n[result]\n42");
      assert.equal(result.structuredContent?.status, "ok");
      assert.equal(result.structuredContent?.result, "42");
    });

    test("a raise is isError with the exception and its traceback", async () => {
      const result = await call({ code: "def f():\n    raise ValueError('nope')\nf()" });
      assert.equal(result.isError, true);
      assert.match(text(result), /\[error\]\nValueError: nope/);
      assert.match(text(result), /\[traceback\]\nTraceback \(most recent call last\)/);
      assert.equal(result.structuredContent?.status, "error");
    });

    test("a loop past timeout_ms comes back as a timeout status", async () => {
      const result = await call({ code: "while True: pass", timeout_ms: 300 });
      assert.equal(result.isError, true);
      assert.match(text(result), /\[status\]\ntimeout: /);
      assert.equal(result.structuredContent?.status, "timeout");
    });

    test("a second call does not see the first one's global", async () => {
      await call({ code: "planted = 41" });
      const result = await call({ code: "'planted' in globals()" });
      assert.equal(text(result), "[result]\nFalse");
    });

    test("a refused call (timeout_ms above the maximum) is isError naming the code", async () => {
      const result = await call({ code: "1", timeout_ms: 10_000_000 });
      assert.equal(result.isError, true);
      assert.match(text(result), /limit_exceeded/);
    });
  });
}

describe("/mcp over HTTP", () => {
  const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
  };

  test("needs the tenant's Bearer key, like /v1", async () => {
    const res = await request(`${base}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify(initialize),
    });
    assert.equal(res.statusCode, 401);
    assert.equal(((await res.body.json()) as any).error.code, "unauthorized");
  });

  // Found by the HTTP fuzzer: the transport refused these with a JSON-RPC error object (a numeric
  // code) where every other non-2xx answer has the API's envelope.
  test("a request the transport refuses gets the API's error envelope, the JSON-RPC error in details", async () => {
    const post = async (accept: string, body: string) => {
      const res = await request(`${base}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept, authorization: `Bearer ${KEY}` },
        body,
      });
      return { status: res.statusCode, body: (await res.body.json()) as any };
    };
    const noStream = await post("application/json", JSON.stringify(initialize));
    assert.equal(noStream.status, 406);
    assert.equal(noStream.body.error.code, "not_acceptable");
    assert.match(noStream.body.error.message, /text\/event-stream/);
    assert.equal(noStream.body.error.details.jsonrpc_error.code, -32000);

    const notAMessage = await post("application/json, text/event-stream", "0");
    assert.equal(notAMessage.status, 400);
    assert.equal(notAMessage.body.error.code, "invalid_request");
    assert.equal(typeof notAMessage.body.error.details.jsonrpc_error.code, "number");

    // A valid request still gets the transport's own 200 answer.
    const ok = await post("application/json, text/event-stream", JSON.stringify(initialize));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.jsonrpc, "2.0");
    assert.equal(typeof ok.body.result.serverInfo.name, "string");
  });

  test("is stateless: GET (no server stream) answers 405", async () => {
    const res = await request(`${base}/mcp`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.statusCode, 405);
    await res.body.dump();
  });
});
