// /v1/batches over real HTTP on one daemon in memory mode (the embedded default, no Redis): jobs
// run through the normal call path on real executors; progress, paging, fork batches on a
// state, typed errors per job, cancel, limits, and tenants that cannot see each other's batches.
// The same routes on a Redis cluster are in cluster.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { waitFor } from "./support/services.ts";
import { httpCall } from "./support/http-call.ts";

const KEYS = { acme: "acme-key-1", beta: "beta-key-2" };

function client(base: string, key: string) {
  const call = httpCall(base, key);
  return {
    call,
    submit: (body: unknown) => call("POST", "/v1/batches", body),
    get: (id: string, query = "") => call("GET", `/v1/batches/${id}${query}`),
    cancel: (id: string) => call("DELETE", `/v1/batches/${id}`),
    finished: (id: string) =>
      waitFor(`batch ${id} to finish`, async () => {
        const r = await call("GET", `/v1/batches/${id}`);
        assert.equal(r.status, 200);
        return r.body.status === "done" || r.body.status === "cancelled" ? r.body : undefined;
      }, 60_000, 100),
  };
}

describe("batches over HTTP, memory mode", () => {
  let arbor: Arbor;
  let acme: ReturnType<typeof client>;
  let beta: ReturnType<typeof client>;

  before(async () => {
    const file = {
      workers: 1,
      batches: { max_items: 20 },
      tenants: [
        { name: "acme", api_key: KEYS.acme },
        { name: "beta", api_key: KEYS.beta, capabilities: { shell: { allow: ["echo"] } } },
      ],
    };
    const config = loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
    arbor = await createArbor({ config });
    await arbor.ready();
    const base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
    acme = client(base, KEYS.acme);
    beta = client(base, KEYS.beta);
  });
  after(async () => {
    await arbor?.close();
  });

  test("every program runs once through the call path; results by index; paging", async () => {
    const codes = Array.from({ length: 6 }, (_, i) => `print(${i} * ${i})`);
    const accepted = await acme.submit({ requests: codes.map((code) => ({ code })) });
    assert.equal(accepted.status, 202);
    assert.match(accepted.body.batch_id, /^bt_/);
    assert.equal(accepted.body.total, 6);
    assert.deepEqual(accepted.body.results, []);
    const done = await acme.finished(accepted.body.batch_id);
    assert.equal(done.status, "done");
    assert.equal(done.done, 6);
    assert.deepEqual(done.results.map((r: any) => r.index), [0, 1, 2, 3, 4, 5]);
    for (const r of done.results) {
      assert.equal(r.response.status, "ok");
      assert.equal(r.response.stdout, `${r.index * r.index}\n`);
    }
    const page = await acme.get(accepted.body.batch_id, "?from=2&limit=3");
    assert.deepEqual(page.body.results.map((r: any) => r.index), [2, 3, 4]);
    assert.equal(page.body.done, 6, "counts cover the whole batch, whatever the page");
    const tooBig = await acme.get(accepted.body.batch_id, "?limit=1001");
    assert.equal(tooBig.status, 400, "at most 1000 results per answer");
    assert.equal(tooBig.body.error.code, "invalid_request");
  });

  test("a program's own failure is its response; a denied capability is the job's typed error", async () => {
    const accepted = await acme.submit({ requests: [{ code: "1 / 0" }, { code: "print('x')", capabilities: ["shell"] }] });
    const done = await acme.finished(accepted.body.batch_id);
    assert.equal(done.results[0].response.status, "error");
    assert.equal(done.results[0].response.error.type, "ZeroDivisionError");
    assert.equal(done.results[1].error.code, "capability_denied", "acme has no shell");
  });

  test("a fork batch runs every branch on a fresh copy of the state", async () => {
    const state = await acme.call("POST", "/v1/states", { code: "x = 40" });
    assert.equal(state.status, 201);
    const accepted = await acme.submit({ state_id: state.body.state_id, branches: [{ code: "x += 1\nprint(x)" }, { code: "x += 2\nprint(x)", checkpoint: true }] });
    assert.equal(accepted.status, 202);
    const done = await acme.finished(accepted.body.batch_id);
    assert.deepEqual(done.results.map((r: any) => r.response.stdout), ["41\n", "42\n"], "branches do not see each other");
    const child = done.results[1].response.state_id;
    assert.match(child, /^st_/);
    assert.equal((await acme.call("GET", `/v1/states/${child}`)).body.parent_id, state.body.state_id);
  });

  test("typed errors: unknown state at submit, too many programs, empty batch, unknown batch", async () => {
    const unknown = await acme.submit({ state_id: "st_AAAAAAAAAAAAAAAAAAAAAAAA", branches: [{ code: "1" }] });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "state_not_found");
    const tooMany = await acme.submit({ requests: Array.from({ length: 21 }, () => ({ code: "1" })) });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.code, "limit_exceeded");
    assert.equal((await acme.submit({ requests: [] })).body.error.code, "invalid_request");
    const missing = await acme.get("bt_AAAAAAAAAAAAAAAA");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "batch_not_found");
    assert.equal((await acme.cancel("not-a-batch-id")).body.error.code, "batch_not_found");
  });

  test("another tenant can neither read, cancel nor fork-batch what is not its own", async () => {
    const accepted = await acme.submit({ requests: [{ code: "print('mine')" }] });
    const id = accepted.body.batch_id;
    assert.equal((await beta.get(id)).body.error.code, "batch_not_found");
    assert.equal((await beta.cancel(id)).body.error.code, "batch_not_found");
    const done = await acme.finished(id);
    assert.equal(done.status, "done", "beta's cancel did nothing");
    const state = await acme.call("POST", "/v1/states", { code: "secret = 1" });
    const theirs = await beta.submit({ state_id: state.body.state_id, branches: [{ code: "print(secret)" }] });
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.error.code, "state_not_found");
  });

  test("cancel: jobs not started never run; the batch is cancelled and stays so", async () => {
    // One worker: the first job holds it while the cancel arrives.
    const accepted = await acme.submit({ requests: [{ code: "import time\ntime.sleep(1.5)\nprint('first')" }, ...Array.from({ length: 5 }, () => ({ code: "print('later')" }))] });
    const id = accepted.body.batch_id;
    await waitFor("the first job to start", async () => (await acme.get(id)).body.status === "running", 30_000, 20);
    const cancelled = await acme.cancel(id);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, "cancelled");
    await waitFor("the running job to be recorded", async () => (await acme.get(id)).body.done >= 1, 30_000, 50);
    const view = (await acme.get(id)).body;
    assert.equal(view.status, "cancelled");
    assert.ok(view.results.every((r: any) => r.response?.stdout !== "later\n"), "no job started after the cancel");
  });
});
