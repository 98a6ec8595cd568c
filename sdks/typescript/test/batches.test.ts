// Batches against a scripted server (the daemon's routes are being built): what submit, get and
// cancel send, how results and errors come back typed, and how wait and results poll.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ArborError,
  BatchNotFoundError,
  CapabilityDeniedError,
  Client,
  WaitTimeoutError,
  nextPollDelayMs,
  type BatchProgress,
  type BatchResult,
} from "../src/index.ts";
import { batchView, errorBody, fakeServer, okResult, sendJson, type BatchMoment, type FakeServer, type SeenRequest } from "./support/fake-server.ts";

const FAST_POLL = { pollIntervalMs: 1, maxPollIntervalMs: 5 };

/** A server answering `answer(n, request)` → [status, body]; the client talks to it. */
async function withServer(
  answer: (n: number, req: SeenRequest) => [number, unknown],
  body: (client: Client, server: FakeServer) => Promise<void>,
): Promise<void> {
  const server = await fakeServer((_req, res, n, seen) => {
    const [status, json] = answer(n, seen);
    sendJson(res, status, json);
  });
  const client = new Client({ baseUrl: server.baseUrl, retries: 0 });
  try {
    await body(client, server);
  } finally {
    await client.close();
    await server.close();
  }
}

/** GETs of batch bt_1 answer from `moments` in turn (the last one repeats). */
function scripted(moments: BatchMoment[]): (n: number, req: SeenRequest) => [number, unknown] {
  let gets = 0;
  return (_n, req) => [200, batchView("bt_1", moments[Math.min(gets++, moments.length - 1)]!, req.path)];
}

const indices = (results: BatchResult[]) => results.map((r) => r.index);

test("submit_batch_sends_programs_and_returns_handle", async () => {
  await withServer(
    () => [202, { batch_id: "bt_1", status: "queued", total: 2, done: 0, results: [] }],
    async (client, server) => {
      const batch = await client.submitBatch({ requests: ["1 + 1", { code: "x", timeoutMs: 500, capabilities: ["tools"], seed: 3 }] });
      assert.equal(batch.id, "bt_1");
      assert.deepEqual(server.seen, [
        {
          method: "POST",
          path: "/v1/batches",
          body: { requests: [{ code: "1 + 1" }, { code: "x", timeout_ms: 500, capabilities: ["tools"], seed: 3 }] },
        },
      ]);
    },
  );
});

test("submit_batch_fork_spec_sends_state_id_and_branches", async () => {
  await withServer(
    () => [202, { batch_id: "bt_2" }],
    async (client, server) => {
      const batch = await client.submitBatch({ stateId: "st_a", branches: ["x + 1", { code: "x = 0", checkpoint: true }] });
      assert.equal(batch.id, "bt_2");
      assert.deepEqual(server.seen[0]?.body, { state_id: "st_a", branches: [{ code: "x + 1" }, { code: "x = 0", checkpoint: true }] });
    },
  );
});

test("submit_batch_without_batch_id_is_invalid_response", async () => {
  await withServer(
    () => [202, { status: "queued" }],
    async (client) => {
      await assert.rejects(client.submitBatch({ requests: ["1"] }), (err: unknown) => err instanceof ArborError && err.code === "invalid_response");
    },
  );
});

test("batch_get_reads_progress_and_typed_results", async () => {
  const denied = { index: 3, error: { code: "capability_denied", message: "shell: not granted", details: { capability: "shell" } } };
  await withServer(
    (_n, req) => [200, batchView("bt_1", { status: "running", total: 6, results: [okResult(2), denied, okResult(5)] }, req.path)],
    async (client, server) => {
      const view = await client.batch("bt_1").get({ from: 2, limit: 2 });
      assert.equal(server.seen[0]?.method, "GET");
      assert.equal(server.seen[0]?.path, "/v1/batches/bt_1?from=2&limit=2");
      assert.equal(view.id, "bt_1");
      assert.equal(view.status, "running");
      assert.equal(view.total, 6);
      assert.equal(view.done, 3);
      assert.deepEqual(indices(view.results), [2, 3]);
      const [ok, failed] = view.results;
      assert.equal(ok?.response?.result, "2");
      assert.equal(ok?.error, null);
      assert.equal(failed?.response, null);
      assert.ok(failed?.error instanceof CapabilityDeniedError);
      assert.equal(failed.error.code, "capability_denied");
      assert.equal(failed.error.message, "shell: not granted");
      assert.deepEqual(failed.error.details, { capability: "shell" });
      assert.equal(failed.error.status, undefined);
    },
  );
});

test("batch_cancel_sends_delete", async () => {
  await withServer(
    () => [204, null],
    async (client, server) => {
      await client.batch("bt/1").cancel();
      assert.deepEqual(server.seen, [{ method: "DELETE", path: "/v1/batches/bt%2F1", body: null }]);
    },
  );
});

test("missing_batch_raises_batch_not_found", async () => {
  await withServer(
    () => [404, errorBody("batch_not_found")],
    async (client) => {
      for (const call of [() => client.batch("bt_x").get(), () => client.batch("bt_x").cancel(), () => client.batch("bt_x").wait()]) {
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(err instanceof BatchNotFoundError);
          assert.equal(err.code, "batch_not_found");
          assert.equal(err.status, 404);
          return true;
        });
      }
    },
  );
});

test("batch_wait_polls_until_done_and_reports_progress", async () => {
  const moments: BatchMoment[] = [
    { status: "queued", total: 3, results: [] },
    { status: "running", total: 3, results: [okResult(1)] },
    { status: "running", total: 3, results: [okResult(1)] },
    { status: "done", total: 3, results: [okResult(0), okResult(1), okResult(2)] },
  ];
  await withServer(scripted(moments), async (client, server) => {
    const progress: BatchProgress[] = [];
    const view = await client.batch("bt_1").wait({ ...FAST_POLL, onProgress: (p) => progress.push(p) });
    assert.equal(view.status, "done");
    assert.equal(view.done, 3);
    assert.deepEqual(indices(view.results), [0, 1, 2]);
    assert.deepEqual(view.results.map((r) => r.response?.result), ["0", "1", "2"]);
    // Reported on the first poll and on each change, not on the poll that saw nothing new.
    assert.deepEqual(progress, [
      { status: "queued", total: 3, done: 0 },
      { status: "running", total: 3, done: 1 },
      { status: "done", total: 3, done: 3 },
    ]);
    assert.equal(server.requests, 4);
  });
});

test("batch_wait_timeout_raises_wait_timeout", async () => {
  await withServer(scripted([{ status: "running", total: 2, results: [okResult(0)] }]), async (client, server) => {
    await assert.rejects(client.batch("bt_1").wait({ ...FAST_POLL, timeoutMs: 50 }), (err: unknown) => {
      assert.ok(err instanceof WaitTimeoutError);
      assert.equal(err.code, "wait_timeout");
      assert.deepEqual(err.progress, { status: "running", total: 2, done: 1 });
      return true;
    });
    assert.ok(server.requests >= 2, "polled again before giving up");
  });
});

test("batch_wait_on_cancelled_batch_returns_what_ran", async () => {
  await withServer(scripted([{ status: "cancelled", total: 4, results: [okResult(0), okResult(2)] }]), async (client) => {
    const view = await client.batch("bt_1").wait(FAST_POLL);
    assert.equal(view.status, "cancelled");
    assert.deepEqual(indices(view.results), [0, 2]);
  });
});

test("batch_results_yield_each_result_once_as_they_arrive", async () => {
  const moments: BatchMoment[] = [
    { status: "running", total: 3, results: [okResult(2)] },
    { status: "running", total: 3, results: [okResult(2), okResult(0)] },
    { status: "running", total: 3, results: [okResult(2), okResult(0)] },
    { status: "done", total: 3, results: [okResult(2), okResult(0), okResult(1)] },
  ];
  await withServer(scripted(moments), async (client) => {
    const got: number[] = [];
    for await (const r of client.batch("bt_1").results(FAST_POLL)) got.push(r.index);
    assert.deepEqual(got, [2, 0, 1]);
  });
});

test("batch_polls_page_from_the_first_unseen_index", async () => {
  const running: BatchMoment = { status: "running", total: 5, results: [okResult(0), okResult(1), okResult(3)] };
  // The first poll's two GETs see the batch running; the second poll's, done.
  const moments: BatchMoment[] = [running, running, { status: "done", total: 5, results: [0, 1, 2, 3, 4].map(okResult) }];
  await withServer(scripted(moments), async (client, server) => {
    const view = await client.batch("bt_1").wait({ ...FAST_POLL, pageSize: 2 });
    assert.deepEqual(indices(view.results), [0, 1, 2, 3, 4]);
    // Poll 1 pages until the 3 recorded results are in; poll 2 starts at index 2, the first unseen.
    assert.deepEqual(
      server.seen.map((s) => s.path),
      [
        "/v1/batches/bt_1?from=0&limit=2",
        "/v1/batches/bt_1?from=2&limit=2",
        "/v1/batches/bt_1?from=2&limit=2",
        "/v1/batches/bt_1?from=4&limit=2",
      ],
    );
  });
});

test("batch_poll_delay_backs_off_until_progress", () => {
  assert.equal(nextPollDelayMs(undefined, false, 100, 1_000), 100);
  assert.equal(nextPollDelayMs(100, false, 100, 1_000), 200);
  assert.equal(nextPollDelayMs(800, false, 100, 1_000), 1_000);
  assert.equal(nextPollDelayMs(1_000, false, 100, 1_000), 1_000);
  assert.equal(nextPollDelayMs(1_000, true, 100, 1_000), 100);
});
