// The daemon over real HTTP on a real port: eval, health, OpenAPI, typed errors, isolation
// between calls, and a crashed executor that does not take the daemon down.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { existsSync } from "node:fs";
import { request } from "undici";
import { availableParallelism } from "node:os";
import { DEADLINE_ADDON_PATH } from "../../runtime/src/executor/call-guard.ts";
import { LOOP_SPIN_ADDON } from "../../runtime/src/host/loop-spin.ts";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

describe("daemon over HTTP", () => {
  let arbor: Arbor;
  let base: string;
  before(async () => {
    const config = loadConfig({ argv: [], env: { ARBOR_WORKERS: "2" } });
    arbor = await createArbor({ config });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(() => arbor.close());

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await request(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, any> };
  }

  test("GET /healthz is ok once interpreters are ready, and names the restore strategy and call guard", async () => {
    const res = await request(`${base}/healthz`);
    assert.equal(res.statusCode, 200);
    const body = (await res.body.json()) as Record<string, any>;
    assert.equal(body.status, "ok");
    assert.equal(body.workers.ready, 2);
    assert.match(body.restore.strategy, /^(dirty|cow|memcpy)$/);
    // The dirty strategy says whether states are entered through its untracked view (and if not, why).
    if (body.restore.strategy === "dirty") assert.match(body.restore.reason, /untracked view/);
    // The executors' wall-time guard: the native deadline thread whenever its addon is built.
    assert.equal(body.call_guard.name, existsSync(DEADLINE_ADDON_PATH) ? "native" : "vm", body.call_guard.reason);
  });

  test("POST /v1/eval runs code and answers the contract's fields", async () => {
    const res = await post("/v1/eval", { code: "print('hi')\n6 * 7" });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "ok");
    assert.equal(res.body.stdout, "hi\n");
    assert.equal(res.body.stderr, "");
    assert.equal(res.body.result, "42");
    assert.equal(res.body.error, null);
    assert.deepEqual(res.body.host_calls, []);
    for (const k of ["queue_ms", "restore_ms", "restore_wait_ms", "exec_ms", "checkpoint_ms", "total_ms"]) assert.equal(typeof res.body.timing[k], "number");
    assert.equal(typeof res.body.id, "string");
    assert.equal(res.headers["x-request-id"], res.body.id);
  });

  test("a Python error is HTTP 200 with status error", async () => {
    const res = await post("/v1/eval", { code: "raise ValueError('bad')" });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "error");
    assert.equal(res.body.error.type, "ValueError");
    assert.equal(res.body.error.message, "bad");
  });

  test("a second call never sees the first one's state", async () => {
    await post("/v1/eval", { code: "import builtins\nbuiltins.planted = 1\nopen('x.txt','w').write('x')\nplanted_global = 2" });
    for (let i = 0; i < 10; i++) {
      const res = await post("/v1/eval", { code: "import builtins, os\n(hasattr(builtins, 'planted'), os.path.exists('x.txt'), 'planted_global' in globals())" });
      assert.equal(res.body.result, "(False, False, False)");
    }
  });

  test("unknown fields are rejected with invalid_request", async () => {
    const res = await post("/v1/eval", { code: "1", bogus: true });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_request");
  });

  test("wrong types and a missing code are invalid_request", async () => {
    assert.equal((await post("/v1/eval", { code: 5 })).body.error.code, "invalid_request");
    assert.equal((await post("/v1/eval", {})).body.error.code, "invalid_request");
    assert.equal((await post("/v1/eval", { code: "1", timeout_ms: -1 })).body.error.code, "invalid_request");
  });

  test("malformed JSON is invalid_request, never a stack", async () => {
    const res = await post("/v1/eval", '{"code": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_request");
    assert.doesNotMatch(JSON.stringify(res.body), /at .*\.ts:\d+/);
  });

  test("asking past the maximum timeout is limit_exceeded", async () => {
    const res = await post("/v1/eval", { code: "1", timeout_ms: 10_000_000 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "limit_exceeded");
    assert.equal(res.body.error.details.field, "timeout_ms");
  });

  test("unknown routes answer not_found in the envelope", async () => {
    const res = await request(`${base}/v1/nope`);
    assert.equal(res.statusCode, 404);
    assert.equal(((await res.body.json()) as any).error.code, "not_found");
  });

  test("GET /openapi.json documents /v1/eval", async () => {
    const res = await request(`${base}/openapi.json`);
    assert.equal(res.statusCode, 200);
    const doc = (await res.body.json()) as any;
    assert.ok(doc.paths["/v1/eval"].post);
  });

  test("an executor that crashes answers 'crashed' for that call only; the daemon keeps serving", async () => {
    // Kill the executor from outside while it runs a call: the process dies mid-call.
    const pending = post("/v1/eval", { code: "import time\nwhile True: pass", timeout_ms: 30_000 });
    await new Promise((r) => setTimeout(r, 300));
    const busy = [...(arbor.services.pool as any).all].find((e: any) => e.busy);
    process.kill(busy.pid, "SIGKILL");
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "crashed");
    const next = await post("/v1/eval", { code: "1 + 1" });
    assert.equal(next.body.result, "2");
  });

  test("a pure-Python infinite loop comes back as timeout, and the next call is fine", async () => {
    const res = await post("/v1/eval", { code: "while True: pass", timeout_ms: 300 });
    assert.equal(res.body.status, "timeout");
    assert.equal(res.body.error.type, "TimeoutError");
    const next = await post("/v1/eval", { code: "'alive'" });
    assert.equal(next.body.result, "'alive'");
  });

  test("concurrent calls all complete with their own results", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post("/v1/eval", { code: `x = ${i}\nx * 2` })),
    );
    results.forEach((r, i) => assert.equal(r.body.result, String(i * 2)));
  });

  // Last: after the crash, the timeout and the concurrent calls above.
  test("the daemon's poll for answers counts every job back in, however it ended, and polls while one runs", async () => {
    const slow = await post("/v1/eval", { code: "import time\ntime.sleep(0.05)\n'slept'" });
    assert.equal(slow.body.result, "'slept'");
    const health = (await (await request(`${base}/healthz`)).body.json()) as Record<string, any>;
    const spin = health.loop_spin;
    // A job counted out and never back would keep the daemon polling on every wait.
    assert.equal(spin.jobs_out, 0);
    if (!existsSync(LOOP_SPIN_ADDON)) return assert.match(spin.reason, /missing/);
    assert.equal(spin.max_us, 1000);
    if (availableParallelism() > 1) {
      // A 50 ms call is longer than the 1 ms budget: the daemon polled and ran out at least once.
      assert.ok(spin.misses >= 1, JSON.stringify(spin));
      assert.ok(spin.spun_ms > 0, JSON.stringify(spin));
    } else {
      // One CPU: every job out takes it, and the daemon never polls.
      assert.equal(spin.hits + spin.misses, 0, JSON.stringify(spin));
    }
  });
});
