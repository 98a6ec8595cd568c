// Mapping of non-2xx answers to the error tree, without a daemon.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ArborError, Client, InvalidRequestError, OverloadedError, StateNotFoundError } from "../src/index.ts";
import { errorFromResponse } from "../src/errors.ts";
import { errorBody, fakeServer, sendJson } from "./support/fake-server.ts";

test("error_from_response_maps_known_code_to_class", () => {
  const err = errorFromResponse(404, { error: { code: "state_not_found", message: "No state 'x'.", details: { state_id: "x" } } }, { requestId: "req-9" });
  assert.ok(err instanceof StateNotFoundError);
  assert.ok(err instanceof ArborError);
  assert.equal(err.code, "state_not_found");
  assert.equal(err.status, 404);
  assert.equal(err.message, "No state 'x'.");
  assert.deepEqual(err.details, { state_id: "x" });
  assert.equal(err.requestId, "req-9");
});

test("unknown_code_keeps_code_on_base_class", () => {
  const err = errorFromResponse(418, { error: { code: "teapot", message: "short and stout" } });
  assert.equal(err.constructor, ArborError);
  assert.equal(err.code, "teapot");
  assert.equal(err.status, 418);
  assert.equal(err.message, "short and stout");
});

test("non_envelope_error_body_keeps_status", () => {
  const err = errorFromResponse(502, "<html>Bad Gateway</html>");
  assert.equal(err.constructor, ArborError);
  assert.equal(err.code, "unexpected_response");
  assert.equal(err.status, 502);
});

test("retry_after_header_sets_retry_after_seconds", async () => {
  const server = await fakeServer((_req, res) => sendJson(res, 429, errorBody("overloaded"), { "retry-after": "7" }));
  const client = new Client({ baseUrl: server.baseUrl, retries: 0 });
  try {
    await assert.rejects(client.eval("1"), (err: unknown) => {
      assert.ok(err instanceof OverloadedError);
      assert.equal(err.retryAfterSeconds, 7);
      assert.equal(err.status, 429);
      return true;
    });
  } finally {
    await client.close();
    await server.close();
  }
});

test("error_request_id_comes_from_header", async () => {
  const server = await fakeServer((_req, res) => sendJson(res, 400, errorBody("invalid_request"), { "x-request-id": "req-77" }));
  const client = new Client({ baseUrl: server.baseUrl });
  try {
    await assert.rejects(client.eval("1"), (err: unknown) => err instanceof InvalidRequestError && err.requestId === "req-77");
  } finally {
    await client.close();
    await server.close();
  }
});
