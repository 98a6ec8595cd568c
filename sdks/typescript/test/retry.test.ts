// 429 retries: overloaded and rate_limited are retried with backoff that honours Retry-After;
// nothing else is; a Retry-After beyond the cap is handed to the caller instead of waited out.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Client, InvalidRequestError, OverloadedError, RateLimitedError, parseRetryAfter, retryDelayMs } from "../src/index.ts";
import { OK_EVAL, errorBody, fakeServer, sendJson } from "./support/fake-server.ts";

const FAST = { retryBaseDelayMs: 1, retryMaxDelayMs: 50 };

async function withServer(
  answer: (n: number) => [number, unknown, Record<string, string>?],
  options: ConstructorParameters<typeof Client>[0],
  body: (client: Client, server: { readonly requests: number }) => Promise<void>,
): Promise<void> {
  const server = await fakeServer((_req, res, n) => {
    const [status, json, headers] = answer(n);
    sendJson(res, status, json, headers);
  });
  const client = new Client({ baseUrl: server.baseUrl, ...options });
  try {
    await body(client, server);
  } finally {
    await client.close();
    await server.close();
  }
}

test("overloaded_is_retried_until_success", async () => {
  await withServer(
    (n) => (n <= 2 ? [429, errorBody("overloaded"), { "retry-after": "0" }] : [200, OK_EVAL]),
    { retries: 3, ...FAST },
    async (client, server) => {
      assert.equal((await client.eval("1")).result, "1");
      assert.equal(server.requests, 3);
    },
  );
});

test("rate_limited_is_retried", async () => {
  await withServer(
    (n) => (n === 1 ? [429, errorBody("rate_limited")] : [200, OK_EVAL]),
    { retries: 1, ...FAST },
    async (client, server) => {
      assert.equal((await client.eval("1")).status, "ok");
      assert.equal(server.requests, 2);
    },
  );
});

test("retries_exhausted_raise_the_last_error", async () => {
  await withServer(
    () => [429, errorBody("rate_limited"), { "retry-after": "0" }],
    { retries: 2, ...FAST },
    async (client, server) => {
      await assert.rejects(client.eval("1"), RateLimitedError);
      assert.equal(server.requests, 3);
    },
  );
});

test("retries_zero_raises_overloaded_error_with_retry_after_seconds", async () => {
  await withServer(
    () => [429, errorBody("overloaded"), { "retry-after": "1" }],
    { retries: 0 },
    async (client, server) => {
      await assert.rejects(client.eval("1"), (err: unknown) => err instanceof OverloadedError && err.retryAfterSeconds === 1);
      assert.equal(server.requests, 1);
    },
  );
});

test("non_retryable_error_is_not_retried", async () => {
  await withServer(
    () => [400, errorBody("invalid_request")],
    { retries: 5, ...FAST },
    async (client, server) => {
      await assert.rejects(client.eval("1"), InvalidRequestError);
      assert.equal(server.requests, 1);
    },
  );
});

test("retry_after_longer_than_max_delay_is_not_waited_for", async () => {
  await withServer(
    () => [429, errorBody("rate_limited"), { "retry-after": "3600" }],
    { retries: 5, ...FAST },
    async (client, server) => {
      await assert.rejects(client.eval("1"), (err: unknown) => err instanceof RateLimitedError && err.retryAfterSeconds === 3600);
      assert.equal(server.requests, 1);
    },
  );
});

test("retry_delay_honours_retry_after_and_cap", () => {
  const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
  const low = () => 0;
  const high = () => 0.999;
  // Backoff doubles per attempt, half of it jittered, and never passes the cap.
  assert.equal(retryDelayMs(0, undefined, policy, low), 50);
  assert.equal(retryDelayMs(2, undefined, policy, low), 200);
  assert.ok(retryDelayMs(2, undefined, policy, high)! <= 400);
  assert.equal(retryDelayMs(10, undefined, policy, low), 500);
  assert.ok(retryDelayMs(10, undefined, policy, high)! <= 1_000);
  // Never sooner than Retry-After; a Retry-After past the cap is not waited for.
  assert.ok(retryDelayMs(0, 1, policy, low)! >= 1_000);
  assert.ok(retryDelayMs(0, 1, policy, high)! >= 1_000);
  assert.equal(retryDelayMs(0, 2, policy, low), undefined);
});

test("parse_retry_after_reads_seconds_and_dates", () => {
  assert.equal(parseRetryAfter("5"), 5);
  assert.equal(parseRetryAfter(undefined), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
  const now = Date.parse("2030-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("Tue, 01 Jan 2030 00:00:30 GMT", now), 30);
});
