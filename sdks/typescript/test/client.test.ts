// Client against a real daemon: results come back typed and camelCased, options reach the wire,
// errors are typed with request ids, calls share the keep-alive pool, close() ends the client.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, ConnectionError, LimitExceededError, UnauthorizedError } from "../src/index.ts";
import { API_KEY, startDaemon, type TestDaemon } from "./support/daemon.ts";

describe("client against a real daemon", () => {
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

  test("eval_returns_result_stdout_and_stderr", async () => {
    const r = await client.eval("import sys\nprint('out')\nprint('err', file=sys.stderr)\n6 * 7");
    assert.equal(r.status, "ok");
    assert.equal(r.ok, true);
    assert.equal(r.result, "42");
    assert.equal(r.stdout, "out\n");
    assert.equal(r.stderr, "err\n");
    assert.equal(r.error, null);
    assert.equal(r.stateId, null);
    assert.equal(typeof r.id, "string");
    assert.equal(typeof r.timing.totalMs, "number");
    assert.deepEqual(r.hostCalls, []);
  });

  test("eval_python_error_is_a_status_not_an_exception", async () => {
    const r = await client.eval("def f():\n    raise KeyError('k')\nf()");
    assert.equal(r.status, "error");
    assert.equal(r.ok, false);
    assert.equal(r.error?.type, "KeyError");
    assert.match(r.error?.traceback ?? "", /KeyError/);
  });

  test("eval_options_reach_the_wire", async () => {
    assert.equal((await client.eval("while True: pass", { timeoutMs: 300 })).status, "timeout");
    const capped = await client.eval("print('x' * 100)", { maxOutputBytes: 10 });
    assert.equal(capped.status, "output_limit");
    assert.equal(capped.truncated, true);
    assert.equal((await client.eval("input()", { stdin: "typed\n" })).result, "'typed'");
    const a = await client.eval("import random\nrandom.random()", { seed: 3 });
    const b = await client.eval("import random\nrandom.random()", { seed: 3 });
    assert.equal(a.result, b.result);
  });

  test("eval_files_round_trip_as_bytes", async () => {
    const r = await client.eval("open('out.bin', 'wb').write(open('in.txt', 'rb').read()[::-1])", {
      files: [{ path: "in.txt", content: "abc" }],
      returnFiles: true,
    });
    assert.equal(r.status, "ok");
    const out = r.files.find((f) => f.path === "out.bin");
    assert.ok(out, "out.bin is returned");
    assert.ok(out.content instanceof Uint8Array);
    assert.equal(Buffer.from(out.content).toString("utf8"), "cba");
  });

  test("eval_without_api_key_raises_unauthorized", async () => {
    const anonymous = new Client({ baseUrl: daemon.baseUrl });
    try {
      await assert.rejects(anonymous.eval("1"), (err: unknown) => {
        assert.ok(err instanceof UnauthorizedError);
        assert.equal(err.code, "unauthorized");
        assert.equal(err.status, 401);
        return true;
      });
    } finally {
      await anonymous.close();
    }
  });

  test("typed_error_carries_status_details_and_request_id", async () => {
    await assert.rejects(client.eval("1", { memoryMb: 1_000_000 }), (err: unknown) => {
      assert.ok(err instanceof LimitExceededError);
      assert.equal(err.name, "LimitExceededError");
      assert.equal(err.status, 400);
      assert.deepEqual((err.details as { field?: string }).field, "memory_mb");
      assert.match(err.requestId ?? "", /\S/);
      return true;
    });
  });

  test("concurrent_evals_all_complete", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => client.eval(`${i} * 2`)));
    assert.deepEqual(
      results.map((r) => r.result),
      Array.from({ length: 8 }, (_, i) => String(i * 2)),
    );
  });

  test("tools_lists_none_without_configured_tools", async () => {
    assert.deepEqual(await client.tools(), []);
  });

  test("health_reports_ok", async () => {
    assert.equal((await client.health()).status, "ok");
  });

  test("closed_client_raises_connection_error", async () => {
    const short = new Client({ baseUrl: daemon.baseUrl, apiKey: API_KEY });
    assert.equal((await short.eval("1 + 1")).result, "2");
    await short.close();
    await assert.rejects(short.eval("1"), ConnectionError);
  });
});
