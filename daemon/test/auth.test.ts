import { test } from "node:test";
import assert from "node:assert/strict";
import cryptoModule, { createHash } from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import { authenticate, parseBearer, RateLimiter } from "../src/auth.ts";
import { loadConfig } from "../src/config/index.ts";
import { ArborError, toEnvelope } from "../src/errors.ts";

function configWith(file: unknown) {
  return loadConfig({ argv: ["--config", "/c.json"], env: {}, cpuCount: 1, readFile: () => JSON.stringify(file) });
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

const multi = configWith({
  tenants: [
    { name: "acme", api_key: "acme-key-0123456789", limits: { calls_per_minute: 2 } },
    { name: "globex", api_key: `sha256:${sha("globex-key-abcdef")}` },
  ],
});

function unauthorized(fn: () => unknown) {
  assert.throws(fn, (err: unknown) => err instanceof ArborError && err.code === "unauthorized" && err.statusCode === 401);
}

test("a valid Bearer key returns its tenant, for plain and sha256-configured keys", () => {
  assert.equal(authenticate("Bearer acme-key-0123456789", multi).name, "acme");
  assert.equal(authenticate("Bearer globex-key-abcdef", multi).name, "globex");
  assert.equal(authenticate("bearer   globex-key-abcdef ", multi).name, "globex", "scheme is case-insensitive");
  assert.equal(authenticate("Bearer acme-key-0123456789", multi).limits.calls_per_minute, 2);
});

test("missing, malformed, unknown or hash-as-key credentials are unauthorized", () => {
  unauthorized(() => authenticate(undefined, multi));
  unauthorized(() => authenticate("", multi));
  unauthorized(() => authenticate("acme-key-0123456789", multi));
  unauthorized(() => authenticate("Basic YWNtZTprZXk=", multi));
  unauthorized(() => authenticate("Bearer", multi));
  unauthorized(() => authenticate("Bearer wrong", multi));
  unauthorized(() => authenticate("Bearer acme-key-012345678", multi));
  unauthorized(() => authenticate("Bearer a b", multi));
  unauthorized(() => authenticate(["Bearer acme-key-0123456789", "Bearer x"], multi));
  // Knowing the stored digest must not be enough.
  unauthorized(() => authenticate(`Bearer sha256:${sha("globex-key-abcdef")}`, multi));
  unauthorized(() => authenticate(`Bearer ${sha("globex-key-abcdef")}`, multi));
});

test("unauthorized maps to a 401 envelope that does not echo the key", () => {
  try {
    authenticate("Bearer not-a-key-zzz", multi);
    assert.fail("should throw");
  } catch (err) {
    const m = toEnvelope(err);
    assert.equal(m.statusCode, 401);
    assert.equal(m.body.error.code, "unauthorized");
    assert.ok(!JSON.stringify(m.body).includes("not-a-key-zzz"));
  }
});

test("without tenants every request is the open tenant 'default', header or not", () => {
  const open = configWith({ capabilities: { shell: { allow: ["ls"] } } });
  for (const header of [undefined, "", "Bearer anything", "garbage"]) {
    const tenant = authenticate(header, open);
    assert.equal(tenant.name, "default");
    assert.deepEqual(tenant.capabilities.shell?.allow?.length, 1);
  }
});

test("every tenant's digest is compared even after a match (no early exit)", (t) => {
  // Patch the builtin's export object and push it to ESM named bindings so auth.ts sees the spy.
  const spy = t.mock.method(cryptoModule, "timingSafeEqual");
  syncBuiltinESMExports();
  try {
    authenticate("Bearer acme-key-0123456789", multi); // matches the first tenant
    assert.equal(spy.mock.callCount(), multi.tenants.length);
    spy.mock.resetCalls();
    assert.throws(() => authenticate("Bearer nobody-at-all", multi));
    assert.equal(spy.mock.callCount(), multi.tenants.length);
  } finally {
    spy.mock.restore();
    syncBuiltinESMExports();
  }
});

test("parseBearer extracts the token only from a well-formed header", () => {
  assert.equal(parseBearer("Bearer abc"), "abc");
  assert.equal(parseBearer("BEARER\tabc"), "abc");
  assert.equal(parseBearer("Bearer "), undefined);
  assert.equal(parseBearer("Token abc"), undefined);
  assert.equal(parseBearer(undefined), undefined);
});

test("RateLimiter allows N calls in any 60 s, then says how long to wait", () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(() => now);
  assert.ok(limiter.take("a", 3).allowed);
  now += 10_000;
  assert.ok(limiter.take("a", 3).allowed);
  assert.ok(limiter.take("a", 3).allowed);
  const refused = limiter.take("a", 3);
  assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 50 }, "first call leaves the window 50 s from now");
  // Refused calls are not counted: once the first call ages out exactly one slot frees.
  now = 1_000_000 + 60_000;
  assert.ok(limiter.take("a", 3).allowed);
  const again = limiter.take("a", 3);
  assert.equal(again.allowed, false);
  assert.equal(!again.allowed && again.retryAfterSeconds, 10);
  now += 10_000;
  assert.ok(limiter.take("a", 3).allowed);
});

test("RateLimiter keeps keys apart, treats null as unlimited, and rounds waits up to >= 1 s", () => {
  let now = 0;
  const limiter = new RateLimiter(() => now);
  assert.ok(limiter.take("a", 1).allowed);
  assert.ok(limiter.take("b", 1).allowed, "another tenant has its own window");
  for (let i = 0; i < 1000; i++) assert.ok(limiter.take("c", null).allowed);
  now = 59_999.5;
  const r = limiter.take("a", 1);
  assert.deepEqual(r, { allowed: false, retryAfterSeconds: 1 });
});

test("RateLimiter.enforce throws rate_limited with a retry-after for the tenant's own limit", () => {
  let now = 0;
  const limiter = new RateLimiter(() => now);
  const acme = authenticate("Bearer acme-key-0123456789", multi);
  limiter.enforce(acme);
  limiter.enforce(acme);
  assert.throws(
    () => limiter.enforce(acme),
    (err: unknown) =>
      err instanceof ArborError &&
      err.code === "rate_limited" &&
      toEnvelope(err).statusCode === 429 &&
      toEnvelope(err).retryAfterSeconds === 60,
  );
  const globex = authenticate("Bearer globex-key-abcdef", multi);
  for (let i = 0; i < 100; i++) limiter.enforce(globex); // no calls_per_minute: unlimited
});
