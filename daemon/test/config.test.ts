import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  capabilitiesSchema,
  ConfigError,
  configWarnings,
  defaultConfig,
  effectiveLimits,
  isLoopback,
  loadConfig,
  openTenant,
  resolveCallLimits,
  type LoadConfigOptions,
} from "../src/config/index.ts";
import { ArborError } from "../src/errors.ts";
import { batchRedisUrl } from "../src/batches/from-config.ts";
import { genReqId, loggerOptions } from "../src/logging.ts";
import pino from "pino";
import { Writable } from "node:stream";

// Loads with an in-memory file system and no ambient env or argv.
function load(files: Record<string, unknown> = {}, options: LoadConfigOptions = {}) {
  return loadConfig({
    argv: [],
    env: {},
    cpuCount: 3,
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return typeof content === "string" ? content : JSON.stringify(content);
    },
    ...options,
  });
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a ConfigError");
}

test("with nothing given, the embedded defaults load: loopback, contract port, one worker per core", () => {
  const config = load();
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.port, 8787);
  assert.equal(config.workers, 3);
  assert.equal(config.limits.timeout_ms, 5000);
  assert.equal(config.limits.max_timeout_ms, 60000);
  assert.equal(config.limits.memory_mb, 256);
  assert.equal(config.limits.max_output_bytes, 1048576);
  assert.deepEqual(config.tenants, []);
  assert.deepEqual(config.capabilities, capabilitiesSchema.parse({}));
  assert.equal(config.capabilities.shell, undefined, "no capability is granted by default");
  assert.equal(config.capabilities.files, undefined);
  assert.equal(config.capabilities.web_fetch, undefined);
  assert.equal(config.log.log_code, false);
  assert.equal(config.config_file, null);
});

test("the loaded config is deep-frozen", () => {
  const config = load({ "/c.json": { tenants: [{ name: "a", api_key: "k" }] } }, { argv: ["--config", "/c.json"] });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.limits));
  assert.ok(Object.isFrozen(config.tenants));
  assert.ok(Object.isFrozen(config.tenants[0]!.limits));
  assert.throws(() => {
    (config.limits as { timeout_ms: number }).timeout_ms = 1;
  }, TypeError);
});

test("layers: file over defaults, env over file, flags over env; nested objects merge", () => {
  const files = { "/f.json": { host: "127.0.0.2", port: 1000, workers: 5, limits: { timeout_ms: 1000 } } };
  const fileOnly = load(files, { env: { ARBOR_CONFIG: "/f.json" } });
  assert.equal(fileOnly.port, 1000);
  assert.equal(fileOnly.limits.timeout_ms, 1000);
  assert.equal(fileOnly.limits.max_timeout_ms, 60000, "unset sibling keeps its default");
  assert.equal(fileOnly.config_file, "/f.json");

  const envOverFile = load(files, { env: { ARBOR_CONFIG: "/f.json", ARBOR_PORT: "2000", ARBOR_LOG_LEVEL: "debug" } });
  assert.equal(envOverFile.port, 2000);
  assert.equal(envOverFile.workers, 5);
  assert.equal(envOverFile.log.level, "debug");

  const flagsOverEnv = load(files, {
    env: { ARBOR_CONFIG: "/f.json", ARBOR_PORT: "2000", ARBOR_WORKERS: "7" },
    argv: ["serve", "--port", "3000", "--host=::1", "--verbose"],
  });
  assert.equal(flagsOverEnv.port, 3000);
  assert.equal(flagsOverEnv.host, "::1");
  assert.equal(flagsOverEnv.workers, 7);
});

test("--config wins over ARBOR_CONFIG; empty env values count as unset", () => {
  const files = { "/a.json": { port: 1 }, "/b.json": { port: 2 } };
  assert.equal(load(files, { env: { ARBOR_CONFIG: "/a.json" }, argv: ["--config", "/b.json"] }).port, 2);
  assert.equal(load(files, { env: { ARBOR_PORT: "", ARBOR_CONFIG: "" } }).port, 8787);
});

test("a bad value names the key path, the value and its source", () => {
  const err = configErrorOf(() => load({ "/c.json": { limits: { timeout_ms: "5s" } } }, { argv: ["--config", "/c.json"] }));
  assert.match(err.message, /^config error: limits\.timeout_ms: expected a positive integer, got "5s" \(in \/c\.json\)$/);

  const fromEnv = configErrorOf(() => load({}, { env: { ARBOR_WORKERS: "two" } }));
  assert.match(fromEnv.message, /workers: .*got "two".*ARBOR_WORKERS/);

  const fromFlag = configErrorOf(() => load({}, { argv: ["--port", "70000"] }));
  assert.match(fromFlag.message, /^config error: port: .*70000.*--port/);
});

test("unknown keys are errors at every level, including capability names", () => {
  const err = configErrorOf(() =>
    load(
      { "/c.json": { prot: 1, limits: { timeoutms: 1 }, capabilities: { shel: {} }, tenants: [{ name: "a", api_key: "k", x: 1 }] } },
      { argv: ["--config", "/c.json"] },
    ),
  );
  assert.deepEqual(
    [...err.problems].map((p) => p.split(":")[0]).sort(),
    ["capabilities.shel", "limits.timeoutms", "prot", "tenants[0].x"],
  );
});

test("capability sections accept the contract shape plus extra knobs, but type the known keys", () => {
  const caps = {
    files: { root: "/srv/work", write: true, max_read_bytes: 10 },
    shell: { allow: ["ls", { cmd: "grep", args: ["-n", ".*"] }], timeout_ms: 100 },
    web_fetch: { allow: ["api.example.com", "*.example.org", "127.0.0.1:8080"], methods: ["GET"] },
    max_host_calls: 10,
  };
  const config = load({ "/c.json": { capabilities: caps } }, { argv: ["--config", "/c.json"] });
  // Compared through the schema so the test holds when bridge/policy.ts's schema (with its
  // defaults and compiled patterns) is swapped in.
  assert.deepEqual(config.capabilities, capabilitiesSchema.parse(caps));
  assert.equal(config.capabilities.shell?.allow?.length, 2);
  assert.equal(openTenant(config).capabilities, config.capabilities);

  const err = configErrorOf(() =>
    load({ "/c.json": { capabilities: { shell: { allow: "ls" } } } }, { argv: ["--config", "/c.json"] }),
  );
  assert.match(err.message, /capabilities\.shell\.allow: /);
});

test("file problems name the file: unreadable, bad JSON with line and column, not an object", () => {
  assert.match(configErrorOf(() => load({}, { argv: ["--config", "/missing.json"] })).message, /\/missing\.json.*ENOENT/);
  const bad = configErrorOf(() => load({ "/bad.json": '{\n  "port": 1,\n  "host": "x" "y"\n}' }, { argv: ["--config", "/bad.json"] }));
  assert.match(bad.message, /^config error: \/bad\.json: invalid JSON/);
  assert.match(bad.message, /line 3 column 15/);
  assert.match(configErrorOf(() => load({ "/arr.json": "[]" }, { argv: ["--config", "/arr.json"] })).message, /\/arr\.json: expected a JSON object/);
  assert.match(configErrorOf(() => load({}, { argv: ["--config"] })).message, /--config needs a value/);
});

test("every problem is reported at once, one line each", () => {
  const err = configErrorOf(() => load({}, { env: { ARBOR_PORT: "x", ARBOR_WORKERS: "0", ARBOR_LOG_LEVEL: "loud" } }));
  assert.equal(err.problems.length, 3);
  assert.equal(err.message.split("\n").length, 3);
  assert.ok(err.message.split("\n").every((line) => line.startsWith("config error: ")));
});

test("a default above its maximum is refused, globally and per tenant", () => {
  const global = configErrorOf(() => load({ "/c.json": { limits: { timeout_ms: 90000 } } }, { argv: ["--config", "/c.json"] }));
  assert.match(global.message, /limits\.timeout_ms: /);
  const tenant = configErrorOf(() =>
    load(
      { "/c.json": { tenants: [{ name: "a", api_key: "k", limits: { max_memory_mb: 128 } }] } },
      { argv: ["--config", "/c.json"] },
    ),
  );
  assert.match(tenant.message, /tenants\[0\]\.limits\.memory_mb: /);
});

test("open (tenant-less) config refuses a non-loopback host unless allow_open", () => {
  assert.match(configErrorOf(() => load({}, { env: { ARBOR_HOST: "0.0.0.0" } })).message, /^config error: host: .*allow_open/);
  assert.equal(load({ "/c.json": { allow_open: true } }, { argv: ["--config", "/c.json", "--host", "0.0.0.0"] }).host, "0.0.0.0");
  assert.equal(load({}, { argv: ["--host", "0.0.0.0", "--allow-open"] }).allow_open, true);
  const withTenants = load(
    { "/c.json": { host: "0.0.0.0", tenants: [{ name: "a", api_key: "k" }] } },
    { argv: ["--config", "/c.json"] },
  );
  assert.equal(withTenants.host, "0.0.0.0");
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) assert.ok(isLoopback(host), host);
  for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1"]) assert.ok(!isLoopback(host), host);
});

test("tenant API keys are kept only as sha256 digests; sha256: keys are taken as given", () => {
  const digest = createHash("sha256").update("plain-key").digest("hex");
  const config = load(
    {
      "/c.json": {
        tenants: [
          { name: "plain", api_key: "plain-key" },
          { name: "hashed", api_key: `sha256:${"AB".repeat(32)}` },
        ],
      },
    },
    { argv: ["--config", "/c.json"] },
  );
  assert.equal(config.tenants[0]!.api_key_sha256, digest);
  assert.equal(config.tenants[1]!.api_key_sha256, "ab".repeat(32));
  assert.ok(!JSON.stringify(config).includes("plain-key"), "plain key must not survive loading");
});

test("bad tenant entries: malformed sha256 key (never echoed), duplicate names and keys", () => {
  const bad = configErrorOf(() =>
    load(
      { "/c.json": { tenants: [{ name: "a", api_key: "sha256:nothex-secret" }] } },
      { argv: ["--config", "/c.json"] },
    ),
  );
  assert.match(bad.message, /tenants\[0\]\.api_key: /);
  assert.ok(!bad.message.includes("nothex-secret"));

  const dup = configErrorOf(() =>
    load(
      {
        "/c.json": {
          tenants: [
            { name: "a", api_key: "k1" },
            { name: "a", api_key: "k2" },
            { name: "b", api_key: `sha256:${createHash("sha256").update("k1").digest("hex")}` },
          ],
        },
      },
      { argv: ["--config", "/c.json"] },
    ),
  );
  assert.deepEqual([...dup.problems].map((p) => p.split(":")[0]), ["tenants[1].name", "tenants[2].api_key"]);
});

test("tenant effective limits: tenant keys over global ones; concurrency falls back to the queue default", () => {
  const config = load(
    {
      "/c.json": {
        limits: { timeout_ms: 2000 },
        queue: { per_tenant_concurrency: 4 },
        tenants: [
          { name: "a", api_key: "ka", limits: { max_timeout_ms: 10000, calls_per_minute: 60 } },
          { name: "b", api_key: "kb", limits: { concurrency: 1 } },
        ],
      },
    },
    { argv: ["--config", "/c.json"] },
  );
  const [a, b] = config.tenants;
  assert.equal(a!.limits.timeout_ms, 2000);
  assert.equal(a!.limits.max_timeout_ms, 10000);
  assert.equal(a!.limits.calls_per_minute, 60);
  assert.equal(a!.limits.concurrency, 4);
  assert.equal(b!.limits.concurrency, 1);
  assert.equal(b!.limits.calls_per_minute, null);
  assert.equal(b!.limits.max_timeout_ms, 60000);
});

test("tenant capabilities replace the top-level ones; a tenant without its own gets none", () => {
  const config = load(
    {
      "/c.json": {
        capabilities: { shell: { allow: ["ls"] } },
        tenants: [
          { name: "a", api_key: "ka", capabilities: { files: { root: "/srv" } } },
          { name: "b", api_key: "kb" },
        ],
      },
    },
    { argv: ["--config", "/c.json"] },
  );
  assert.deepEqual(config.tenants[0]!.capabilities, capabilitiesSchema.parse({ files: { root: "/srv" } }));
  assert.equal(config.tenants[0]!.capabilities.shell, undefined);
  assert.deepEqual(config.tenants[1]!.capabilities, capabilitiesSchema.parse({}));
  assert.equal(config.tenants[1]!.capabilities.shell, undefined, "top-level shell is not inherited");
  assert.equal(configWarnings(config).length, 1);
});

test("openTenant is the stable 'default' tenant with global limits", () => {
  const config = load();
  const t = openTenant(config);
  assert.equal(t.name, "default");
  assert.equal(t, openTenant(config));
  assert.deepEqual(t.limits, { ...config.limits, concurrency: null, calls_per_minute: null });
});

test("resolveCallLimits fills defaults and refuses asks above a maximum with limit_exceeded", () => {
  const limits = effectiveLimits(defaultConfig(1).limits, { per_tenant_concurrency: null });
  assert.deepEqual(resolveCallLimits({ code: "1" }, limits), { timeout_ms: 5000, memory_mb: 256, max_output_bytes: 1048576 });
  assert.deepEqual(resolveCallLimits({ code: "1", timeout_ms: 60000, memory_mb: 1024, max_output_bytes: 10 }, limits), {
    timeout_ms: 60000,
    memory_mb: 1024,
    max_output_bytes: 10,
  });
  const asks = [
    { code: "1", timeout_ms: 60001 },
    { code: "1", memory_mb: 1025 },
    { code: "1", max_output_bytes: 1048577 },
    { code: "x".repeat(limits.max_code_bytes + 1) },
  ];
  for (const ask of asks) {
    assert.throws(
      () => resolveCallLimits(ask, limits),
      (err: unknown) => err instanceof ArborError && err.code === "limit_exceeded" && err.statusCode === 400,
    );
  }
});

// logging.ts options come from config.log; tested here with the config they are built from.
function capture(options: pino.LoggerOptions) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino(options, stream), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test("logging: level from config, authorization redacted, bodies and code withheld unless log_code", async () => {
  const quiet = capture(loggerOptions(load({}, { env: { ARBOR_LOG_LEVEL: "warn" } }).log));
  quiet.logger.info("hidden");
  quiet.logger.warn("shown");

  const { logger, lines } = capture(loggerOptions(load().log));
  logger.info({ req: { method: "POST", url: "/v1/eval", id: "req_1", headers: { authorization: "Bearer sekrit" } } }, "in");
  logger.info({ headers: { authorization: "Bearer sekrit" } }, "raw headers");
  logger.info({ body: { code: "print('sekrit')" }, stdout: "sekrit out", code: "import os" }, "call");

  const verbose = capture(loggerOptions({ level: "info", log_code: true }));
  verbose.logger.info({ body: { code: "print(1)" } }, "call");
  await flush();

  assert.deepEqual(quiet.lines.map((l) => l.msg), ["shown"]);
  const text = JSON.stringify(lines);
  assert.ok(!text.includes("sekrit"), text);
  assert.ok(!text.includes("import os"), text);
  assert.equal((lines[0]!.req as Record<string, unknown>).method, "POST");
  assert.equal((lines[0]!.req as Record<string, unknown>).url, "/v1/eval");
  assert.deepEqual(verbose.lines[0]!.body, { code: "print(1)" });
});

test("logging: request ids reuse a safe x-request-id, otherwise mint req_<base32>", () => {
  assert.equal(genReqId({ headers: { "x-request-id": "abc-123_X.y" } }), "abc-123_X.y");
  for (const unsafe of ["has space", "x".repeat(200), "new\nline", "<script>", ""]) {
    const id = genReqId({ headers: { "x-request-id": unsafe } });
    assert.match(id, /^req_[a-z2-7]{16}$/, unsafe);
  }
  const a = genReqId({ headers: {} });
  assert.match(a, /^req_[a-z2-7]{16}$/);
  assert.notEqual(a, genReqId({ headers: {} }));
  // Minted ids draw from a pool of random bytes refilled every 409 ids: across several refills
  // they stay well formed and never repeat (a pool reused without a refill would repeat them).
  const minted = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = genReqId({ headers: {} });
    assert.match(id, /^req_[a-z2-7]{16}$/);
    minted.add(id);
  }
  assert.equal(minted.size, 5000);
});

test("docs/configuration.md documents every config key, env var and flag", async () => {
  const { readFileSync } = await import("node:fs");
  const { ENV_VARS, FLAGS, SWITCHES, limitsSchema, tenantLimitsSchema } = await import("../src/config/index.ts");
  const doc = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
  const keys: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else keys.push(prefix);
  };
  walk(defaultConfig(1), "");
  keys.push(...Object.keys(limitsSchema.shape).map((k) => `limits.${k}`));
  keys.push(...Object.keys(tenantLimitsSchema.shape).filter((k) => !(k in limitsSchema.shape)).map((k) => `tenants[].limits.${k}`));
  keys.push("tenants[].name", "tenants[].api_key", "tenants[].capabilities");
  keys.push(...Object.keys(ENV_VARS), ...Object.keys(FLAGS), ...Object.keys(SWITCHES), "ARBOR_CONFIG", "--config");
  for (const key of keys) assert.ok(doc.includes(`\`${key}`), `docs/configuration.md does not mention ${key}`);
});

test("warm_up_branches: 1280 by default; 0 turns the warm-up off; negative, fractional or above 100000 is refused", () => {
  assert.equal(load({}).warm_up_branches, 1280);
  assert.equal(load({ "/c.json": { warm_up_branches: 0 } }, { argv: ["--config", "/c.json"] }).warm_up_branches, 0);
  for (const bad of [-1, 2.5]) {
    assert.match(configErrorOf(() => load({ "/c.json": { warm_up_branches: bad } }, { argv: ["--config", "/c.json"] })).message, /warm_up_branches: expected a non-negative integer/);
  }
  assert.match(configErrorOf(() => load({ "/c.json": { warm_up_branches: 100_001 } }, { argv: ["--config", "/c.json"] })).message, /warm_up_branches: expected at most 100000/);
});

test("idle_spin_us: 1000 by default; 0 turns it off; negative, fractional or above 0.1 s is refused", () => {
  assert.equal(load({}).idle_spin_us, 1000);
  assert.equal(load({ "/c.json": { idle_spin_us: 0 } }, { argv: ["--config", "/c.json"] }).idle_spin_us, 0);
  assert.match(configErrorOf(() => load({ "/c.json": { idle_spin_us: -1 } }, { argv: ["--config", "/c.json"] })).message, /idle_spin_us: expected a non-negative integer/);
  assert.match(configErrorOf(() => load({ "/c.json": { idle_spin_us: 2.5 } }, { argv: ["--config", "/c.json"] })).message, /idle_spin_us: expected a non-negative integer/);
  assert.match(configErrorOf(() => load({ "/c.json": { idle_spin_us: 100_001 } }, { argv: ["--config", "/c.json"] })).message, /idle_spin_us: expected at most 100000 \(0\.1 s\)/);
});

test("loop_spin_us: 1000 by default; 0 turns it off; negative, fractional or above 0.1 s is refused", () => {
  assert.equal(load({}).loop_spin_us, 1000);
  assert.equal(load({ "/c.json": { loop_spin_us: 0 } }, { argv: ["--config", "/c.json"] }).loop_spin_us, 0);
  for (const bad of [-1, 2.5]) {
    assert.match(configErrorOf(() => load({ "/c.json": { loop_spin_us: bad } }, { argv: ["--config", "/c.json"] })).message, /loop_spin_us: expected a non-negative integer/);
  }
  assert.match(configErrorOf(() => load({ "/c.json": { loop_spin_us: 100_001 } }, { argv: ["--config", "/c.json"] })).message, /loop_spin_us: expected at most 100000 \(0\.1 s\)/);
});

test("states: memory by default; redis needs a redis:// URL; batches follow the states' Redis unless given their own", () => {
  const d = load({});
  assert.equal(d.states.store, "memory");
  assert.equal(d.states.redis_url, null);
  assert.match(configErrorOf(() => load({ "/c.json": { states: { store: "redis" } } }, { argv: ["--config", "/c.json"] })).message, /states\.redis_url: .*needs states\.redis_url/);
  assert.match(configErrorOf(() => load({ "/c.json": { states: { store: "redis", redis_url: "http://x:6379" } } }, { argv: ["--config", "/c.json"] })).message, /states\.redis_url: expected a URL like/);
  assert.match(configErrorOf(() => load({ "/c.json": { states: { store: "disk" } } }, { argv: ["--config", "/c.json"] })).message, /states\.store/);
  assert.match(configErrorOf(() => load({ "/c.json": { batches: { max_items: 100_001 } } }, { argv: ["--config", "/c.json"] })).message, /batches\.max_items: expected at most 100000/);
  const redis = load({ "/c.json": { states: { store: "redis", redis_url: "rediss://u:p@r.example:6380/2" } } }, { argv: ["--config", "/c.json"] });
  assert.equal(batchRedisUrl(redis), "rediss://u:p@r.example:6380/2");
  assert.equal(batchRedisUrl(d), null, "memory mode: batches in this process");
  const own = load({ "/c.json": { batches: { redis_url: "redis://q:6379" } } }, { argv: ["--config", "/c.json"] });
  assert.equal(batchRedisUrl(own), "redis://q:6379");
});
