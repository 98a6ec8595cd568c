// State, fork, info and delete against a real daemon.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, StateNotFoundError } from "../src/index.ts";
import { API_KEY, startDaemon, type TestDaemon } from "./support/daemon.ts";

describe("states against a real daemon", () => {
  let daemon: TestDaemon;
  let client: Client;
  before(async () => {
    daemon = await startDaemon();
    client = new Client({ baseUrl: daemon.baseUrl, apiKey: API_KEY });
  });
  after(async () => {
    await client.close();
    await daemon.close();
  });

  test("create_state_returns_state_with_id_and_result", async () => {
    const state = await client.createState("x = 41\nx + 1");
    assert.match(state.id, /\S/);
    assert.equal(state.result?.result, "42");
    assert.equal(state.result?.stateId, state.id);
  });

  test("state_eval_runs_in_a_copy", async () => {
    const state = await client.createState("items = [1]");
    assert.equal((await state.eval("items.append(2)\nitems")).result, "[1, 2]");
    const again = await state.eval("items");
    assert.equal(again.result, "[1]");
    assert.equal(again.stateId, null);
  });

  test("state_eval_checkpoint_returns_child_state", async () => {
    const state = await client.createState("x = 1");
    const r = await state.eval("x = 5", { checkpoint: true });
    assert.ok(r.stateId);
    const child = state.child(r);
    assert.equal((await child.eval("x")).result, "5");
    const info = await child.info();
    assert.equal(info.parentId, state.id);
    assert.equal(info.depth, 2);
    assert.equal((await state.info()).children, 1);
  });

  test("state_fork_returns_results_in_order", async () => {
    const state = await client.createState("x = 10");
    const results = await state.fork(["x + 1", { code: "x * 2" }, { code: "x = 0", checkpoint: true }]);
    assert.deepEqual(results.slice(0, 2).map((r) => r.result), ["11", "20"]);
    assert.ok(results[2]?.stateId);
    assert.equal(results[0]?.stateId, null);
    // The checkpointing branch's capture is timed apart; the others captured nothing.
    assert.ok(results[2]!.timing.checkpointMs > 0);
    assert.equal(results[0]?.timing.checkpointMs, 0);
  });

  test("state_info_and_delete", async () => {
    const state = await client.createState("x = 1");
    const info = await state.info();
    assert.equal(info.id, state.id);
    assert.equal(info.parentId, null);
    assert.equal(info.depth, 1);
    assert.equal(info.children, 0);
    assert.equal(typeof info.bytes, "number");
    assert.match(info.createdAt, /^\d{4}-\d{2}-\d{2}T/);
    await state.delete();
    await assert.rejects(state.info(), StateNotFoundError);
  });

  test("missing_state_raises_state_not_found", async () => {
    await assert.rejects(client.state("st_does_not_exist").eval("1"), (err: unknown) => {
      assert.ok(err instanceof StateNotFoundError);
      assert.equal(err.status, 404);
      return true;
    });
  });
});
