// Tenants on real executors: one executor process never serves two tenants (isolation
// "tenant"), a tenant without an executor is seated from a spare, "shared" is the opt-out, and a
// tenant that keeps crashing executors gets 429 for its own calls while the others are served.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import type { Tenant } from "../src/auth.ts";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

async function start(file: object): Promise<{ arbor: Arbor; base: string }> {
  const config = loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
  const arbor = await createArbor({ config });
  await arbor.ready();
  return { arbor, base: await arbor.app.listen({ host: "127.0.0.1", port: 0 }) };
}

function tenantOf(arbor: Arbor, key: string): Tenant {
  return arbor.services.authenticate({ headers: { authorization: `Bearer ${key}` } } as never);
}

async function pidOf(arbor: Arbor, key: string, code = "1 + 1"): Promise<number> {
  const r = await arbor.services.calls.eval({ code }, { requestId: "t", tenant: tenantOf(arbor, key) });
  assert.equal(r.response.status, "ok", JSON.stringify(r.response.error));
  return r.executorPid;
}

async function post(base: string, key: string, body: object) {
  const res = await request(`${base}/v1/eval`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as any };
}

describe("isolation: tenant (the default with tenants)", () => {
  let arbor: Arbor;
  let base: string;
  before(async () => {
    ({ arbor, base } = await start({
      workers: 2,
      spares: 1,
      tenants: [
        { name: "a", api_key: "key-a", limits: { crashes_per_minute: 3 } },
        { name: "b", api_key: "key-b" },
        { name: "c", api_key: "key-c" },
      ],
    }));
  });
  after(() => arbor.close());

  test("interleaved calls of two tenants never run on the same executor process", async () => {
    const pids = { a: new Set<number>(), b: new Set<number>() };
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 24; i++) {
      const t = i % 3 === 0 ? "b" : "a";
      calls.push(pidOf(arbor, `key-${t}`, `sum(range(${i * 1000}))`).then((pid) => void pids[t].add(pid)));
    }
    await Promise.all(calls);
    assert.ok(pids.a.size > 0 && pids.b.size > 0);
    assert.deepEqual([...pids.a].filter((p) => pids.b.has(p)), [], "no executor served both tenants");
  });

  test("a third tenant is seated from a spare; the executor it replaces retires", async () => {
    const before = arbor.services.pool.stats().reassigned;
    const seen = new Set([await pidOf(arbor, "key-a"), await pidOf(arbor, "key-b")]);
    const pidC = await pidOf(arbor, "key-c");
    assert.ok(!seen.has(pidC), "tenant c got an executor no other tenant used");
    assert.ok(arbor.services.pool.stats().reassigned > before);
    assert.equal(await pidOf(arbor, "key-c"), pidC, "and keeps it");
  });

  test("a tenant that keeps crashing executors gets 429 for its own calls; the others are served", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post(base, "key-a", { code: "import os\nos.abort()" });
      assert.equal(r.status, 200);
      assert.equal(r.body.status, "crashed");
    }
    const refused = await post(base, "key-a", { code: "1" });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, "rate_limited");
    assert.equal(refused.body.error.details.limit, "crashes_per_minute");
    assert.ok(Number(refused.headers["retry-after"]) >= 1);
    const other = await post(base, "key-b", { code: "6 * 7" });
    assert.equal(other.status, 200);
    assert.equal(other.body.result, "42");
  });
});

describe("isolation: tenant, a busy tenant and a quiet one", () => {
  let arbor: Arbor;
  before(async () => {
    ({ arbor } = await start({ workers: 2, spares: 0, tenants: [{ name: "a", api_key: "key-a" }, { name: "b", api_key: "key-b" }] }));
  });
  after(() => arbor.close());

  test("a tenant holding as many executors as another never takes its last one: it waits for its own", async () => {
    const pidA = await pidOf(arbor, "key-a");
    const pidB = await pidOf(arbor, "key-b");
    assert.notEqual(pidA, pidB);
    const before = arbor.services.pool.stats().reassigned;
    // b wants three executors at once while a's sits idle: b's calls queue for b's own.
    const pids = await Promise.all([0, 1, 2].map(() => pidOf(arbor, "key-b", "import time\ntime.sleep(0.3)")));
    assert.deepEqual(pids, [pidB, pidB, pidB]);
    assert.equal(arbor.services.pool.stats().reassigned, before, "no executor changed tenant");
    assert.equal(await pidOf(arbor, "key-a"), pidA, "a's executor is still a's, warm");
  });
});

describe("isolation: shared (the opt-out)", () => {
  let arbor: Arbor;
  before(async () => {
    ({ arbor } = await start({ workers: 1, spares: 0, isolation: "shared", tenants: [{ name: "a", api_key: "key-a" }, { name: "b", api_key: "key-b" }] }));
  });
  after(() => arbor.close());

  test("one executor serves both tenants, fresh for each call", async () => {
    const a = await pidOf(arbor, "key-a", "x = 'from a'\nx");
    const b = await pidOf(arbor, "key-b", "'x' in globals()");
    assert.equal(a, b);
    const r = await arbor.services.calls.eval({ code: "'x' in globals()" }, { requestId: "t", tenant: tenantOf(arbor, "key-b") });
    assert.equal(r.response.result, "False");
    assert.equal(arbor.services.pool.stats().reassigned, 0);
  });
});
