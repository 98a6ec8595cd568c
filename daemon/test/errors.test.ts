import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Fastify, { errorCodes } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ArborError, ERROR_CODES, errors, isErrorCode, toEnvelope, type ErrorCode } from "../src/errors.ts";

const DOC = new URL("../../docs/errors.md", import.meta.url);

function docRows(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of readFileSync(DOC, "utf8").split("\n")) {
    const m = /^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/.exec(line);
    if (!m) continue;
    assert.ok(!rows.has(m[1]!), `docs/errors.md lists ${m[1]} twice`);
    rows.set(m[1]!, Number(m[2]));
  }
  return rows;
}

test("docs/errors.md and the registry list the same codes with the same statuses", () => {
  const documented = docRows();
  const registered = new Map(Object.entries(ERROR_CODES).map(([code, spec]) => [code, spec.status]));
  assert.deepEqual([...documented.keys()].sort(), [...registered.keys()].sort());
  for (const [code, status] of registered) assert.equal(documented.get(code), status, `status of ${code}`);
});

test("the contract codes keep their names and statuses", () => {
  const contract: Record<string, number> = {
    invalid_request: 400,
    unauthorized: 401,
    capability_denied: 403,
    state_not_found: 404,
    payload_too_large: 413,
    overloaded: 429,
    internal: 500,
  };
  for (const [code, status] of Object.entries(contract)) {
    assert.ok(isErrorCode(code), code);
    assert.equal(ERROR_CODES[code as ErrorCode].status, status);
  }
});

test("ArborError maps to its own code, status, message and details", () => {
  const m = toEnvelope(errors.invalidRequest("bad seed", { field: "seed" }));
  assert.equal(m.statusCode, 400);
  assert.equal(m.body.error.code, "invalid_request");
  assert.equal(m.body.error.message, "bad seed");
  assert.deepEqual(m.body.error.details, { field: "seed" });
  assert.equal(m.retryAfterSeconds, undefined);

  const plain = toEnvelope(new ArborError("capability_denied"));
  assert.equal(plain.statusCode, 403);
  assert.equal(plain.body.error.message, ERROR_CODES.capability_denied.message);
  assert.ok(!("details" in plain.body.error), "no details key when there are none");
});

test("every helper builds an error whose status matches the registry", () => {
  const built: ArborError[] = [
    errors.invalidRequest(),
    errors.limitExceeded(),
    errors.unauthorized(),
    errors.capabilityDenied(),
    errors.notFound("GET", "/nope"),
    errors.stateNotFound("st_1"),
    errors.stateAncestorGone("st_2", "st_1"),
    errors.stateIncompatible("st_1", { problem: "image", found: "a", expected: "b" }, "another image"),
    errors.batchNotFound("bt_1"),
    errors.methodNotAllowed("PUT", ["GET", "DELETE"]),
    errors.notAcceptable(),
    errors.payloadTooLarge(),
    errors.unsupportedMediaType(),
    errors.overloaded(2),
    errors.rateLimited(3),
    errors.unavailable(),
    errors.internal(new Error("x")),
  ];
  assert.deepEqual(new Set(built.map((e) => e.code)), new Set(Object.keys(ERROR_CODES)));
  for (const e of built) assert.equal(toEnvelope(e).statusCode, ERROR_CODES[e.code].status, e.code);
});

test("retry-after is carried for overloaded and rate_limited, rounded up to whole seconds >= 1", () => {
  assert.equal(toEnvelope(errors.overloaded(1.2)).retryAfterSeconds, 2);
  assert.equal(toEnvelope(errors.rateLimited(0)).retryAfterSeconds, 1);
  assert.equal(toEnvelope(errors.rateLimited(Number.NaN)).retryAfterSeconds, 1);
  const m = toEnvelope(errors.overloaded(5));
  assert.equal(m.statusCode, 429);
  assert.equal(m.body.error.code, "overloaded");
});

test("unknown errors become a generic internal error without message or stack", () => {
  const secret = new Error("ENOENT /etc/arbor/secret-path");
  for (const thrown of [secret, new TypeError("x is undefined"), "boom", 42, null, undefined, { statusCode: 502 }]) {
    const m = toEnvelope(thrown);
    assert.equal(m.statusCode, 500);
    assert.equal(m.body.error.code, "internal");
    const text = JSON.stringify(m.body);
    assert.ok(!text.includes("secret-path") && !text.includes("undefined") && !text.includes("at "), text);
  }
  // Even an ArborError("internal") built from a cause does not expose the cause.
  assert.ok(!JSON.stringify(toEnvelope(errors.internal(secret)).body).includes("secret-path"));
});

test("fastify content-type-parser errors map to their codes", () => {
  const cases: Array<[Error, ErrorCode, number]> = [
    [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), "unsupported_media_type", 415],
    [new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), "payload_too_large", 413],
    [new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), "invalid_request", 400],
    [new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), "invalid_request", 400],
    [new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), "invalid_request", 400],
    [new errorCodes.FST_ERR_NOT_FOUND(), "not_found", 404],
  ];
  for (const [err, code, status] of cases) {
    const m = toEnvelope(err);
    assert.equal(m.body.error.code, code, (err as { code?: string }).code);
    assert.equal(m.statusCode, status);
  }
});

test("a JSON SyntaxError tagged 400 is invalid_request; untagged it is internal", () => {
  const tagged = Object.assign(new SyntaxError("Unexpected token } in JSON at position 7"), { statusCode: 400 });
  assert.equal(toEnvelope(tagged).body.error.code, "invalid_request");
  assert.ok(!toEnvelope(tagged).body.error.message.includes("position 7"));
  assert.equal(toEnvelope(new SyntaxError("bad")).body.error.code, "internal");
});

test("other client statuses map by status; 405 and 503 have their own codes", () => {
  assert.equal(toEnvelope(Object.assign(new Error("x"), { statusCode: 405 })).body.error.code, "method_not_allowed");
  assert.equal(toEnvelope(Object.assign(new Error("x"), { statusCode: 404 })).body.error.code, "not_found");
  assert.equal(toEnvelope(Object.assign(new Error("x"), { statusCode: 418 })).body.error.code, "invalid_request");
  assert.equal(toEnvelope(Object.assign(new Error("x"), { statusCode: 503 })).body.error.code, "unavailable");
  // Non-fastify client errors keep the registry's default message, not theirs.
  const m = toEnvelope(Object.assign(new Error("internal detail"), { statusCode: 400 }));
  assert.equal(m.body.error.message, ERROR_CODES.invalid_request.message);
});

test("a thrown ZodError becomes invalid_request with issues", () => {
  const parsed = z.strictObject({ code: z.string() }).safeParse({ code: 1, extra: true });
  assert.ok(!parsed.success);
  const m = toEnvelope(parsed.error);
  assert.equal(m.body.error.code, "invalid_request");
  const details = m.body.error.details as { issues: Array<{ path: string; code: string; keys?: string[] }> };
  assert.ok(details.issues.some((i) => i.path === "code" && i.code === "invalid_type"));
  assert.ok(details.issues.some((i) => i.code === "unrecognized_keys" && i.keys?.includes("extra")));
});

// End-to-end through a throwaway fastify app so the real error objects (not hand-made ones) are mapped.
async function appWithEnvelope() {
  const app = Fastify({ bodyLimit: 64 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, _req, reply) => {
    const m = toEnvelope(err);
    if (m.retryAfterSeconds !== undefined) reply.header("retry-after", String(m.retryAfterSeconds));
    return reply.code(m.statusCode).send(m.body);
  });
  app.post(
    "/v1/eval",
    { schema: { body: z.strictObject({ code: z.string(), timeout_ms: z.number().int().positive().optional() }) } },
    async () => ({ ok: true }),
  );
  app.get("/busy", async () => {
    throw errors.overloaded(3);
  });
  app.get("/crash", async () => {
    throw new Error("database password is hunter2");
  });
  await app.ready();
  return app;
}

test("real fastify errors go through toEnvelope to the right code and status", async () => {
  const app = await appWithEnvelope();
  try {
    const post = (payload: string, contentType = "application/json") =>
      app.inject({ method: "POST", url: "/v1/eval", payload, headers: { "content-type": contentType } });
    const expect = async (res: Awaited<ReturnType<typeof post>>, status: number, code: ErrorCode) => {
      assert.equal(res.statusCode, status, res.body);
      const body = res.json() as { error: { code: string; message: string; details?: unknown } };
      assert.equal(body.error.code, code);
      assert.equal(typeof body.error.message, "string");
      assert.ok(!res.body.includes("    at "), "no stack in body");
      return body;
    };

    await expect(await post("{"), 400, "invalid_request");
    await expect(await post(""), 400, "invalid_request");
    await expect(await post("<x/>", "application/xml"), 415, "unsupported_media_type");
    await expect(await post(JSON.stringify({ code: "x".repeat(100) })), 413, "payload_too_large");

    const unknownField = (await expect(await post('{"code":"1","bogus":1}'), 400, "invalid_request")).error
      .details as { location: string; issues: Array<{ code: string; keys?: string[] }> };
    assert.equal(unknownField.location, "body");
    assert.deepEqual(unknownField.issues[0]?.keys, ["bogus"]);

    const badType = (await expect(await post('{"code":"1","timeout_ms":"5s"}'), 400, "invalid_request")).error
      .details as { issues: Array<{ path: string }> };
    assert.equal(badType.issues[0]?.path, "timeout_ms");

    const busy = await app.inject({ method: "GET", url: "/busy" });
    await expect(busy, 429, "overloaded");
    assert.equal(busy.headers["retry-after"], "3");

    const crash = await app.inject({ method: "GET", url: "/crash" });
    await expect(crash, 500, "internal");
    assert.ok(!crash.body.includes("hunter2"));
  } finally {
    await app.close();
  }
});
