// The cluster tests' own services (test/support/services.ts): a real redis-server and a real
// HAProxy, started, checked, restarted and stopped the way the cluster tests use them.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, describe, test } from "node:test";
import { Redis } from "ioredis";
import { request } from "undici";
import { accepts, cannotInstall, Haproxy, LOOPBACK, RedisServer, requirePrograms, which } from "./support/services.ts";

describe("programs", () => {
  test("redis-server and haproxy are found (installed first when missing and allowed)", () => {
    const paths = requirePrograms("redis-server", "haproxy");
    assert.match(paths["redis-server"], /redis-server$/);
    assert.match(paths.haproxy, /haproxy$/);
    assert.equal(which("redis-server"), paths["redis-server"]);
  });

  test("without root or apt-get the failure names the packages to install", () => {
    const notRoot = cannotInstall(["redis-server", "haproxy"], false, true);
    assert.match(notRoot ?? "", /apt-get install redis-server haproxy/);
    assert.match(notRoot ?? "", /not root/);
    assert.match(cannotInstall(["haproxy"], true, false) ?? "", /install Debian's haproxy .*apt-get is not available/);
    assert.equal(cannotInstall(["haproxy"], true, true), null);
  });

  test("a program that is nowhere is not found", () => {
    assert.equal(which("arbor-no-such-program", ""), undefined);
  });
});

describe("redis-server", () => {
  const servers: RedisServer[] = [];
  const clients: Redis[] = [];
  after(async () => {
    for (const c of clients) c.disconnect();
    for (const s of servers) await s.dispose();
  });
  const client = (server: RedisServer) => {
    const c = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    clients.push(c);
    return c;
  };

  test("serves on a loopback port of its own, and a stop closes it", async () => {
    const server = await RedisServer.start();
    servers.push(server);
    assert.match(server.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
    const c = client(server);
    await c.set("k", "v");
    assert.equal(await c.get("k"), "v");
    assert.equal((await c.config("GET", "appendonly"))[1], "no");
    assert.equal((await c.config("GET", "save"))[1], "");
    c.disconnect();
    await server.stop();
    assert.equal(server.running, false);
    assert.equal(await accepts(server.port), false);
  });

  test("without persistence a restart starts empty, on the same port", async () => {
    const server = await RedisServer.start();
    servers.push(server);
    const c = client(server);
    await c.set("k", "v");
    c.disconnect();
    const port = server.port;
    await server.restart();
    assert.equal(server.port, port);
    const again = client(server);
    assert.equal(await again.get("k"), null);
  });

  test("with persistence the data survives a restart and a SIGKILL", async () => {
    const server = await RedisServer.start({ persistence: true });
    servers.push(server);
    const c = client(server);
    await c.set("before-restart", "1");
    c.disconnect();
    await server.restart();
    const c2 = client(server);
    assert.equal(await c2.get("before-restart"), "1");
    await c2.set("before-kill", "2");
    c2.disconnect();
    await server.kill();
    await server.restart();
    const c3 = client(server);
    assert.equal(await c3.get("before-kill"), "2");
  });

  test("memory budget and eviction policy are applied", async () => {
    const server = await RedisServer.start({ maxmemory: "4mb", maxmemoryPolicy: "volatile-lru" });
    servers.push(server);
    const c = client(server);
    assert.equal((await c.config("GET", "maxmemory"))[1], String(4 * 1024 * 1024));
    assert.equal((await c.config("GET", "maxmemory-policy"))[1], "volatile-lru");
    // Keys without a TTL are never evicted under volatile-*: past the budget, writes fail.
    const big = "x".repeat(256 * 1024);
    await assert.rejects(async () => {
      for (let i = 0; i < 64; i++) await c.set(`nottl:${i}`, big);
    }, /OOM/);
  });
});

/** A tiny HTTP backend: answers with its name; /readyz 200 or 503 as told. */
function backend(name: string) {
  let ready = true;
  const server: Server = createServer((req, res) => {
    if (req.url === "/readyz") {
      res.writeHead(ready ? 200 : 503).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain" }).end(name);
  });
  return {
    server,
    setReady: (value: boolean) => (ready = value),
    listen: () => new Promise<number>((resolve) => server.listen(0, LOOPBACK, () => resolve((server.address() as { port: number }).port))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("haproxy", () => {
  const a = backend("a");
  const b = backend("b");
  let proxy: Haproxy;
  after(async () => {
    await proxy?.dispose();
    a.server.closeAllConnections();
    b.server.closeAllConnections();
    await Promise.allSettled([a.close(), b.close()]);
  });

  const answers = async (n: number) => {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await request(`${proxy.url}/v1/anything`);
      assert.equal(res.statusCode, 200);
      seen.push(await res.body.text());
    }
    return seen;
  };

  test("balances over healthy backends and routes around one whose /readyz fails", async () => {
    proxy = await Haproxy.start([{ port: await a.listen() }, { port: await b.listen() }], { checkIntervalMs: 100 });
    await proxy.waitForServers(["UP", "UP"]);
    const both = await answers(10);
    assert.ok(both.includes("a") && both.includes("b"), `both backends serve: ${both}`);

    b.setReady(false);
    await proxy.waitForServers(["UP", "DOWN"]);
    assert.deepEqual(new Set(await answers(8)), new Set(["a"]));

    b.setReady(true);
    await proxy.waitForServers(["UP", "UP"]);
    a.server.closeAllConnections();
    await a.close();
    await proxy.waitForServers(["DOWN", "UP"]);
    assert.deepEqual(new Set(await answers(8)), new Set(["b"]));
  });

  test("restarts on the same port with the generated config", async () => {
    const port = proxy.port;
    await proxy.restart();
    assert.equal(proxy.port, port);
    await proxy.waitForServers(["DOWN", "UP"]);
    assert.deepEqual(new Set(await answers(4)), new Set(["b"]));
    await proxy.stop();
    assert.equal(await accepts(port), false);
  });
});
