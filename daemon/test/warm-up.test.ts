// The startup warm-up (daemon/src/http/warm-up.ts) on real executors: it runs real fork
// branches, then leaves nothing a client can see: no state, no metric, no seat under tenant
// isolation, no globals in the next call, and its header opens nothing once it is over.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { WARM_UP_HEADER } from "../src/http/warm-up.ts";

async function start(file: object): Promise<{ arbor: Arbor; base: string; warm: Awaited<ReturnType<Arbor["warmUp"]>>; progress: Array<[number, number]> }> {
  const config = loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
  const arbor = await createArbor({ config });
  await arbor.ready();
  const progress: Array<[number, number]> = [];
  const warm = await arbor.warmUp((done, total) => progress.push([done, total]));
  return { arbor, warm, progress, base: await arbor.app.listen({ host: "127.0.0.1", port: 0 }) };
}

async function post(base: string, path: string, body: object, headers: Record<string, string> = {}) {
  const res = await request(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.statusCode, body: (await res.body.json()) as any };
}

describe("warm-up under tenant isolation", () => {
  let arbor: Arbor;
  let base: string;
  let warm: Awaited<ReturnType<Arbor["warmUp"]>>;
  let progress: Array<[number, number]>;
  before(async () => {
    ({ arbor, base, warm, progress } = await start({
      workers: 2,
      spares: 0,
      warm_up_branches: 384,
      tenants: [
        { name: "a", api_key: "key-a" },
        { name: "b", api_key: "key-b" },
      ],
    }));
  });
  after(() => arbor.close());

  test("runs the branches it was asked for, on every worker, reporting each fork request", () => {
    assert.equal(warm.branches, 768);
    assert.ok(warm.evals > 0);
    assert.deepEqual(progress, [[1, 3], [2, 3], [3, 3]]);
  });

  test("leaves no state, and counts in no metric", async () => {
    assert.equal(arbor.services.states.stats().states, 0);
    const metrics = await (await request(`${base}/metrics`)).body.text();
    assert.doesNotMatch(metrics, /warm-up/);
    assert.doesNotMatch(metrics, /^arbor_calls_total\{.*\} [1-9]/m);
    assert.doesNotMatch(metrics, /^arbor_http_responses_total\{.*\} [1-9]/m);
  });

  test("its executors have served nobody: two tenants are seated without retiring one", async () => {
    for (const key of ["key-a", "key-b", "key-a", "key-b"]) {
      const r = await post(base, "/v1/eval", { code: "1 + 1" }, { authorization: `Bearer ${key}` });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    assert.equal(arbor.services.pool.stats().reassigned, 0);
    assert.equal(arbor.services.pool.stats().retired, 0);
  });

  test("a call after it finds a fresh interpreter (none of the warm-up's names)", async () => {
    const r = await post(base, "/v1/eval", { code: "sorted(k for k in globals() if not k.startswith('__'))" }, { authorization: "Bearer key-a" });
    assert.equal(r.body.status, "ok");
    assert.equal(r.body.result, "[]");
  });

  test("its header admits nobody once it is over", async () => {
    for (const value of ["", "x", "0".repeat(64)]) {
      const r = await post(base, "/v1/eval", { code: "1" }, { [WARM_UP_HEADER]: value });
      assert.equal(r.status, 401, JSON.stringify(r.body));
    }
    assert.equal(arbor.services.warmUp.tenantOf({ [WARM_UP_HEADER]: "0".repeat(64) }), null);
  });
});

describe("warm-up off", () => {
  let arbor: Arbor;
  let warm: Awaited<ReturnType<Arbor["warmUp"]>>;
  before(async () => {
    ({ arbor, warm } = await start({ workers: 1, spares: 0, warm_up_branches: 0 }));
  });
  after(() => arbor.close());

  test("warm_up_branches 0 runs nothing", async () => {
    assert.deepEqual(warm, { branches: 0, evals: 0, ms: 0 });
  });
});
