// Limits seen from a client: a disconnect cancels the call, a print flood does not grow the
// daemon, a hard-killed or cancelled executor is replaced while other calls keep being answered.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

describe("limits over HTTP", () => {
  let arbor: Arbor;
  let base: string;
  before(async () => {
    arbor = await createArbor({ config: loadConfig({ argv: [], env: { ARBOR_WORKERS: "2" } }) });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(() => arbor.close());

  async function evalCode(body: Record<string, unknown>, signal?: AbortSignal) {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    return (await res.body.json()) as Record<string, any>;
  }

  test("a client that disconnects cancels its running call; the executor is replaced", async () => {
    const before = arbor.services.pool.stats().respawns;
    const ac = new AbortController();
    const pending = evalCode({ code: "while True: pass", timeout_ms: 60_000 }, ac.signal).catch((e: Error) => e);
    await sleep(500);
    ac.abort();
    assert.ok((await pending) instanceof Error);
    for (let i = 0; i < 100 && arbor.services.pool.stats().respawns === before; i++) await sleep(50);
    assert.equal(arbor.services.pool.stats().respawns, before + 1, "the busy executor was stopped, not left spinning");
    const next = await evalCode({ code: "'still serving'" });
    assert.equal(next.result, "'still serving'");
  });

  test("a 100 MB print flood stops at max_output_bytes and does not grow the daemon with it", async () => {
    const flood = { code: "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 10**6)" };
    await evalCode(flood); // warm the path once
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 3; i++) {
      const body = await evalCode(flood);
      assert.equal(body.status, "output_limit");
      assert.equal(body.truncated, true);
      assert.ok(Buffer.byteLength(body.stdout) <= 1024 * 1024);
    }
    // 300 MB were printed; the daemon only ever holds max_output_bytes of it per call (RSS moves
    // with GC timing, hence a bound far below the flood, not an exact one).
    const grown = process.memoryUsage().rss - rssBefore;
    assert.ok(grown < 64 * 1024 * 1024, `daemon RSS grew by ${grown} bytes over 300 MB of output`);
  });

  test("while one call is stuck until its deadline, other calls are answered", async () => {
    const stuck = evalCode({ code: "sum(range(10**13))", timeout_ms: 3000 });
    for (let i = 0; i < 5; i++) {
      const body = await evalCode({ code: `${i} + 1` });
      assert.equal(body.result, String(i + 1));
    }
    assert.equal((await stuck).status, "timeout");
  });
});
