// The HTTP layer as a product: every error code it can produce (asserted by `error.code`), the
// headers that go with them, tenants (auth, limits, calls per minute), logs, /readyz and /metrics.
// One booted daemon (one worker) is shared by the file; a second one is never booted.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { loggerOptions } from "../src/logging.ts";
import { METRICS_CONTENT_TYPE } from "../src/metrics.ts";

const KEYS = { acme: "acme-key", hashed: "hashed-key", limited: "limited-key" };
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const CONFIG = {
  workers: 1,
  max_body_bytes: 4096,
  tenants: [
    { name: "acme", api_key: KEYS.acme, limits: { timeout_ms: 1000, max_timeout_ms: 1000 } },
    { name: "hashed", api_key: `sha256:${sha256(KEYS.hashed)}` },
    { name: "limited", api_key: KEYS.limited, limits: { calls_per_minute: 2 } },
  ],
};

function configFrom(file: object) {
  return loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("before the interpreters are ready", () => {
  let arbor: Arbor;
  before(async () => {
    arbor = await createArbor({ config: configFrom({ workers: 1 }) });
  });
  after(() => arbor.close());

  test("/v1/eval answers 503 unavailable with Retry-After", async () => {
    const res = await arbor.app.inject({ method: "POST", url: "/v1/eval", payload: { code: "1" } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, "unavailable");
    assert.ok(Number(res.headers["retry-after"]) >= 1);
  });

  test("/readyz and /healthz are 503", async () => {
    assert.equal((await arbor.app.inject({ url: "/readyz" })).statusCode, 503);
    assert.equal((await arbor.app.inject({ url: "/healthz" })).statusCode, 503);
  });
});

describe("a daemon with tenants", () => {
  let arbor: Arbor;
  let base: string;
  const logLines: Array<Record<string, any>> = [];

  before(async () => {
    const config = configFrom(CONFIG);
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    arbor = await createArbor({ config, logger: { ...loggerOptions(config.log), stream } });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(() => arbor.close());

  function evalCall(body: unknown, headers: Record<string, string> = bearer(KEYS.hashed)) {
    return arbor.app.inject({
      method: "POST",
      url: "/v1/eval",
      headers: { "content-type": "application/json", ...headers },
      payload: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  describe("auth", () => {
    test("a missing key is 401 unauthorized with WWW-Authenticate: Bearer", async () => {
      const res = await evalCall({ code: "1" }, {});
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, "unauthorized");
      assert.match(String(res.headers["www-authenticate"]), /^Bearer\b/);
    });

    test("a wrong key, and a non-Bearer scheme, are 401 unauthorized", async () => {
      assert.equal((await evalCall({ code: "1" }, bearer("nope"))).json().error.code, "unauthorized");
      assert.equal((await evalCall({ code: "1" }, { authorization: `Basic ${KEYS.acme}` })).json().error.code, "unauthorized");
    });

    test("the right key runs the call", async () => {
      const res = await evalCall({ code: "6 * 7" }, bearer(KEYS.acme));
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().result, "42");
    });

    test("a key configured as its sha256 digest is accepted", async () => {
      const res = await evalCall({ code: "'hashed'" }, bearer(KEYS.hashed));
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().result, "'hashed'");
    });

    test("authentication comes before the body is looked at", async () => {
      const res = await evalCall("not json", {});
      assert.equal(res.json().error.code, "unauthorized");
    });
  });

  describe("tenant limits", () => {
    test("asking above the tenant's max_timeout_ms is 400 limit_exceeded", async () => {
      const res = await evalCall({ code: "1", timeout_ms: 5000 }, bearer(KEYS.acme));
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, "limit_exceeded");
      assert.equal(res.json().error.details.field, "timeout_ms");
      assert.equal(res.json().error.details.max, 1000);
    });

    test("another tenant may ask for the same timeout", async () => {
      const res = await evalCall({ code: "1", timeout_ms: 5000 }, bearer(KEYS.hashed));
      assert.equal(res.statusCode, 200);
    });

    test("a capability the tenant lacks is 403 capability_denied", async () => {
      const res = await evalCall({ code: "1", capabilities: ["shell"] }, bearer(KEYS.acme));
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, "capability_denied");
    });

    test("past calls_per_minute the tenant gets 429 rate_limited with Retry-After; others do not", async () => {
      assert.equal((await evalCall({ code: "1" }, bearer(KEYS.limited))).statusCode, 200);
      assert.equal((await evalCall({ code: "2" }, bearer(KEYS.limited))).statusCode, 200);
      const third = await evalCall({ code: "3" }, bearer(KEYS.limited));
      assert.equal(third.statusCode, 429);
      assert.equal(third.json().error.code, "rate_limited");
      assert.ok(Number(third.headers["retry-after"]) >= 1);
      assert.equal((await evalCall({ code: "4" }, bearer(KEYS.hashed))).statusCode, 200);
    });
  });

  describe("request errors", () => {
    test("unknown fields, wrong types and malformed JSON are 400 invalid_request", async () => {
      for (const body of [{ code: "1", bogus: true }, { code: 5 }, {}, '{"code": ']) {
        const res = await evalCall(body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(res.json().error.code, "invalid_request");
      }
    });

    test("a text/plain body is 415 unsupported_media_type", async () => {
      const res = await evalCall("print(1)", { ...bearer(KEYS.hashed), "content-type": "text/plain" });
      assert.equal(res.statusCode, 415);
      assert.equal(res.json().error.code, "unsupported_media_type");
    });

    test("a body over max_body_bytes is 413 payload_too_large, over a real connection", async () => {
      const res = await request(`${base}/v1/eval`, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(KEYS.hashed) },
        body: JSON.stringify({ code: `x = '${"a".repeat(8192)}'` }),
      });
      assert.equal(res.statusCode, 413);
      assert.equal(((await res.body.json()) as any).error.code, "payload_too_large");
    });

    test("a known path with the wrong method is 405 method_not_allowed with Allow", async () => {
      const res = await arbor.app.inject({ method: "GET", url: "/v1/eval", headers: bearer(KEYS.hashed) });
      assert.equal(res.statusCode, 405);
      assert.equal(res.json().error.code, "method_not_allowed");
      assert.equal(res.headers.allow, "POST");
      const health = await arbor.app.inject({ method: "DELETE", url: "/healthz" });
      assert.equal(health.json().error.code, "method_not_allowed");
      assert.match(String(health.headers.allow), /GET/);
    });

    test("an unknown path is 404 not_found", async () => {
      const res = await arbor.app.inject({ method: "GET", url: "/v1/nope" });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, "not_found");
    });
  });

  describe("request ids and logs", () => {
    test("the response id is the x-request-id header; a safe incoming id is kept", async () => {
      const res = await evalCall({ code: "1" }, { ...bearer(KEYS.hashed), "x-request-id": "trace-123" });
      assert.equal(res.json().id, "trace-123");
      assert.equal(res.headers["x-request-id"], "trace-123");
      const minted = await evalCall({ code: "1" }, { ...bearer(KEYS.hashed), "x-request-id": "bad id\n" });
      assert.match(minted.json().id, /^req_/);
      assert.equal(minted.headers["x-request-id"], minted.json().id);
    });

    test("each call is logged with status, tenant, timing and host calls, without code or outputs", async () => {
      const res = await evalCall({ code: "secret_marker_42 = 'hidden-output'\nprint(secret_marker_42)" });
      const line = logLines.find((l) => l.msg === "call finished" && l.reqId === res.json().id);
      assert.ok(line, "a 'call finished' line for the request");
      assert.equal(line.level, "info");
      assert.equal(line.tenant, "hashed");
      assert.equal(line.status, "ok");
      assert.equal(typeof line.timing.total_ms, "number");
      assert.deepEqual(line.host_calls, []);
      const all = JSON.stringify(logLines);
      assert.doesNotMatch(all, /secret_marker_42|hidden-output/);
      assert.doesNotMatch(all, new RegExp(`${KEYS.hashed}|${KEYS.acme}`));
    });
  });

  describe("operations", () => {
    test("/readyz is 200 once every executor is ready; /openapi.json needs no key", async () => {
      const ready = await arbor.app.inject({ url: "/readyz" });
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().status, "ready");
      assert.equal((await arbor.app.inject({ url: "/openapi.json" })).statusCode, 200);
    });

    test("/metrics counts calls by tenant and status, HTTP responses by route, and has stage quantiles", async () => {
      await evalCall({ code: "1" }, bearer(KEYS.acme));
      await evalCall({ code: "raise ValueError('x')" }, bearer(KEYS.acme));
      const res = await request(`${base}/metrics`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], METRICS_CONTENT_TYPE);
      const samples = parsePrometheus(await res.body.text());

      assert.ok(samples.get('arbor_calls_total{tenant="acme",status="ok"}')! >= 1);
      assert.ok(samples.get('arbor_calls_total{tenant="acme",status="error"}')! >= 1);
      assert.ok(samples.get('arbor_http_responses_total{route="/v1/eval",code="401"}')! >= 1);
      assert.ok(samples.get('arbor_http_responses_total{route="/v1/eval",code="200"}')! >= 1);
      for (const stage of ["queue", "restore", "exec", "total"]) {
        for (const q of ["0.5", "0.99"]) {
          const value = samples.get(`arbor_call_stage_seconds{stage="${stage}",quantile="${q}"}`);
          assert.ok(value !== undefined && Number.isFinite(value), `${stage} ${q}`);
        }
        assert.ok(samples.get(`arbor_call_stage_seconds_count{stage="${stage}"}`)! >= 2);
      }
      assert.equal(samples.get("arbor_pool_workers"), 1);
      assert.equal(samples.get("arbor_queue_depth"), 0);
      for (const name of ["arbor_executor_crashes_total", "arbor_executor_respawns_total", "arbor_pool_busy_workers"]) {
        assert.ok(samples.has(name), name);
      }
    });
  });
});

describe("config errors", () => {
  test("a bad key fails loading with a message naming it", () => {
    assert.throws(() => configFrom({ port: "x" }), (err: Error) => err.name === "ConfigError" && /\bport\b/.test(err.message));
  });

  test("a tenant whose default timeout is above its maximum is refused", () => {
    assert.throws(
      () => configFrom({ tenants: [{ name: "t", api_key: "k", limits: { max_timeout_ms: 1000 } }] }),
      (err: Error) => err.name === "ConfigError" && /tenants\[0\]\.limits\.timeout_ms/.test(err.message),
    );
  });
});

/** `name{labels} value` lines into a map keyed by `name{labels}`; comments skipped. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    const raw = line.slice(at + 1);
    samples.set(line.slice(0, at), raw === "NaN" ? Number.NaN : raw === "+Inf" ? Infinity : Number(raw));
  }
  return samples;
}
