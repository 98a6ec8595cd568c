// Load over the real call path: a full queue answers 429 overloaded at once, and a tenant at its
// concurrency waits in the queue while the other tenants' calls go through. Progress is observed
// through the pool and scheduler, not through timings.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

// Pure Python that ends by itself in a second or two (time.sleep is not interruptible here).
const SLOW = "sum(range(10**7))";
const KEYS = { solo: "solo-key", bulk: "bulk-key" };

describe("admission under load", () => {
  let arbor: Arbor;

  before(async () => {
    const file = {
      workers: 2,
      queue: { max_length: 1 },
      tenants: [
        { name: "solo", api_key: KEYS.solo, limits: { concurrency: 1 } },
        { name: "bulk", api_key: KEYS.bulk },
      ],
    };
    const config = loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
    arbor = await createArbor({ config });
    await arbor.ready();
  });
  after(() => arbor.close());

  function evalAs(key: string, code: string) {
    return arbor.app.inject({
      method: "POST",
      url: "/v1/eval",
      headers: { authorization: `Bearer ${key}` },
      payload: { code, timeout_ms: 30_000 },
    });
  }

  async function until(what: string, predicate: () => boolean): Promise<void> {
    for (let waited = 0; !predicate(); waited += 10) {
      if (waited > 30_000) assert.fail(`gave up waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  test("with every worker busy and the queue full, the next call is 429 overloaded with Retry-After", async () => {
    const { pool, scheduler } = arbor.services;
    const running = [evalAs(KEYS.bulk, SLOW), evalAs(KEYS.bulk, SLOW)];
    await until("both workers are busy", () => pool.stats().busy === 2);
    const queued = evalAs(KEYS.bulk, SLOW);
    await until("one call is queued", () => scheduler.depth === 1);

    const refused = await evalAs(KEYS.bulk, "1");
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error.code, "overloaded");
    assert.ok(Number(refused.headers["retry-after"]) >= 1);

    for (const res of await Promise.all([...running, queued])) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, "ok");
    }
  });

  test("a tenant at its concurrency waits in the queue; another tenant uses the idle worker", async () => {
    const { pool, scheduler } = arbor.services;
    const first = evalAs(KEYS.solo, SLOW);
    await until("solo's first call runs", () => scheduler.runningFor("solo") === 1);
    let secondDone = false;
    const second = evalAs(KEYS.solo, "'second'").then((res) => {
      secondDone = true;
      return res;
    });
    await until("solo's second call is queued", () => scheduler.depth === 1);
    assert.equal(pool.stats().busy, 1, "the other worker stays idle for solo");

    const other = await evalAs(KEYS.bulk, "'other'");
    assert.equal(other.json().result, "'other'");
    assert.equal(secondDone, false, "solo's second call still waits for its first");

    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.json().status, "ok");
    assert.equal(b.json().result, "'second'");
    assert.equal(scheduler.runningFor("solo"), 0);
  });
});
