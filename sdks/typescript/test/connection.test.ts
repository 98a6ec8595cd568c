// Transport: keep-alive reuse, reconnecting after a dropped pooled socket, and transport
// failures surfacing as ConnectionError (refused, or the client-side deadline).
import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { test } from "node:test";
import { Client, ConnectionError } from "../src/index.ts";
import { OK_EVAL, droppingServer, fakeServer, sendJson } from "./support/fake-server.ts";

test("keep_alive_reuses_one_connection", async () => {
  const server = await fakeServer((_req, res) => sendJson(res, 200, OK_EVAL));
  const client = new Client({ baseUrl: server.baseUrl });
  try {
    for (let i = 0; i < 10; i++) assert.equal((await client.eval("1")).result, "1");
    assert.equal(server.requests, 10);
    // undici's pool may alternate between two idle sockets; without keep-alive this would be 10.
    assert.ok(server.connections <= 2, `${server.connections} connections for 10 sequential calls`);
  } finally {
    await client.close();
    await server.close();
  }
});

test("dropped_keep_alive_connection_is_reopened", async () => {
  const server = await droppingServer();
  // One pooled connection, so the second call must reuse the socket the server then drops.
  const client = new Client({ baseUrl: server.baseUrl, connections: 1 });
  try {
    assert.equal((await client.health()).status, "ok");
    assert.equal((await client.health()).status, "ok");
    assert.equal(server.connections, 2, "the second call went out again on a new connection");
    assert.equal(server.requests, 3);
  } finally {
    await client.close();
    await server.close();
  }
});

test("connection_refused_raises_connection_error", async () => {
  // A port that was just free: bind, read it, close.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const client = new Client({ baseUrl: `http://127.0.0.1:${port}` });
  try {
    await assert.rejects(client.eval("1"), (err: unknown) => {
      assert.ok(err instanceof ConnectionError);
      assert.equal(err.code, "connection_error");
      assert.equal(err.status, undefined);
      assert.equal(err.timedOut, false);
      return true;
    });
  } finally {
    await client.close();
  }
});

test("deadline_raises_connection_error_with_timed_out", async () => {
  const server = await fakeServer(() => {
    /* never answers */
  });
  const client = new Client({ baseUrl: server.baseUrl, timeoutMs: 200 });
  try {
    await assert.rejects(client.eval("1"), (err: unknown) => err instanceof ConnectionError && err.timedOut);
  } finally {
    await client.close();
    await server.close();
  }
});
