// GET /v1/tools against a scripted server: the list comes back typed and camelCased; a body
// without the list is an invalid response, not an empty list.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ArborError, Client } from "../src/index.ts";
import { fakeServer, sendJson, type FakeServer } from "./support/fake-server.ts";

const SUMMARIZE = {
  name: "summarize",
  description: "Counts and totals.",
  signature: "summarize(name: string, items: list<item>) -> summary",
  params: [
    { name: "name", type: "string" },
    { name: "items", type: "list<item>" },
  ],
  result: "summary",
  types: { item: "record { label: string, value: f64 }", summary: "record { count: u32 }" },
  sha256: "ab".repeat(32),
  interfaces: ["wasi:random/random"],
  timeout_ms: 2000,
  memory_mb: 64,
};

async function withTools(body: unknown, run: (client: Client, server: FakeServer) => Promise<void>): Promise<void> {
  const server = await fakeServer((_req, res) => sendJson(res, 200, body));
  const client = new Client({ baseUrl: server.baseUrl });
  try {
    await run(client, server);
  } finally {
    await client.close();
    await server.close();
  }
}

test("tools_returns_typed_tools", async () => {
  const noop = { ...SUMMARIZE, name: "noop", params: [], result: null, types: {} };
  await withTools({ tools: [SUMMARIZE, noop] }, async (client, server) => {
    const tools = await client.tools();
    assert.deepEqual(server.seen.map((s) => `${s.method} ${s.path}`), ["GET /v1/tools"]);
    assert.deepEqual(tools[0], {
      name: "summarize",
      description: "Counts and totals.",
      signature: "summarize(name: string, items: list<item>) -> summary",
      params: [
        { name: "name", type: "string" },
        { name: "items", type: "list<item>" },
      ],
      result: "summary",
      types: { item: "record { label: string, value: f64 }", summary: "record { count: u32 }" },
      sha256: "ab".repeat(32),
      interfaces: ["wasi:random/random"],
      timeoutMs: 2000,
      memoryMb: 64,
    });
    assert.equal(tools[1]?.name, "noop");
    assert.equal(tools[1]?.result, null);
    assert.deepEqual(tools[1]?.params, []);
  });
});

test("tools_response_without_list_is_invalid_response", async () => {
  await withTools({ tool: [] }, async (client) => {
    await assert.rejects(client.tools(), (err: unknown) => err instanceof ArborError && err.code === "invalid_response");
  });
});
