// The deployment files (Dockerfile, docs/deploy/) name only things that exist: the npm script
// and CLI command they start, the port, the ARBOR_* variables the daemon reads, config keys the
// loader accepts, the health routes, and each other's service names and mounts. The configs go
// through the real config loader; haproxy.cfg through `haproxy -c`; Redis's arguments through
// a real redis-server. Docker itself cannot run here, so this is what keeps the files honest.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, posix, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { loadConfig } from "../src/config/index.ts";
import { configSchema } from "../src/config/schema.ts";
import { ENV_VARS } from "../src/config/sources.ts";
import { RedisServer, requirePrograms } from "./support/services.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEPLOY = join(ROOT, "docs/deploy");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string>; engines?: { node?: string } };

/** Every ARBOR_* variable the daemon or runtime reads: the config's own and those read directly. */
function knownEnvVars(): Set<string> {
  const names = new Set<string>(Object.keys(ENV_VARS));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) for (const m of readFileSync(path, "utf8").matchAll(/\benv\.(ARBOR_[A-Z_]+)/g)) names.add(m[1]!);
    }
  };
  walk(join(ROOT, "daemon/src"));
  walk(join(ROOT, "runtime/src"));
  return names;
}
const ENV = knownEnvVars();

/** Routes the daemon serves (the health routes are declared by path in routes/health.ts). */
function declaresRoute(path: string): boolean {
  return read("daemon/src/routes/health.ts").includes(`"${path}"`);
}

/**
 * Loads a deployment config file through the daemon's own loader, with the deployment's env.
 * `states.store` and `states.redis_url` are the names issue #17 fixes; the schema gets them
 * when the daemon is wired to the Redis store. Until then their form is checked here and the
 * rest goes to the real loader; once the schema has them, nothing is set aside.
 */
function loadDeployConfig(json: string, env: Record<string, string>) {
  const data = JSON.parse(json) as { states?: Record<string, unknown> };
  const pending = { store: data.states?.store, redis_url: data.states?.redis_url };
  if (!("store" in configSchema.shape.states.shape) && data.states) {
    assert.ok(pending.store === undefined || pending.store === "memory" || pending.store === "redis", `states.store: ${String(pending.store)}`);
    assert.ok(pending.redis_url === undefined || /^rediss?:\/\/[^/\s]+/.test(String(pending.redis_url)), `states.redis_url: ${String(pending.redis_url)}`);
    delete data.states.store;
    delete data.states.redis_url;
  }
  const config = loadConfig({ argv: [], env: { ...env, ARBOR_CONFIG: "/deploy/arbor.json" }, readFile: () => JSON.stringify(data) });
  return { config, ...pending };
}

function redisHostPort(url: unknown): { host: string; port: number } {
  const u = new URL(String(url));
  return { host: u.hostname, port: Number(u.port || 6379) };
}

describe("Dockerfile", () => {
  const text = read("Dockerfile");
  const lines = text.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
  const stages = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^FROM\s/i.test(l));
  const last = lines.slice(stages.at(-1)!.i);

  test("multi-stage; the last stage runs `npm start` as a non-root user", () => {
    assert.ok(stages.length >= 2, "at least a build stage and a runtime stage");
    const user = last.find((l) => /^USER\s/i.test(l))?.split(/\s+/)[1];
    assert.ok(user && user !== "root" && user !== "0", `USER ${user}`);
    const cmd = last.find((l) => /^(CMD|ENTRYPOINT)\s/i.test(l))!;
    assert.deepEqual(JSON.parse(cmd.replace(/^(CMD|ENTRYPOINT)\s+/i, "")), ["npm", "start"]);
    assert.match(pkg.scripts.start!, /^node daemon\/bin\/arbor\.mjs serve$/);
    assert.ok(existsSync(join(ROOT, "daemon/bin/arbor.mjs")));
    assert.match(read("daemon/src/cli.ts"), /\bserve\b/);
  });

  test("the build stage installs with npm ci (native addons, launcher) and bundles the executor", () => {
    const build = lines.slice(0, stages.at(-1)!.i).join("\n");
    assert.match(build, /RUN npm ci/);
    assert.match(pkg.scripts.install!, /runtime\/native\/build\.mjs/);
    assert.match(build, /runtime\/src\/host\/confine\/bundle\.ts/);
    assert.match(read("runtime/src/host/confine/bundle.ts"), /export function executorBundle\(/);
    const named = stages.map(({ l }) => /\sAS\s+(\S+)/i.exec(l)?.[1]).filter(Boolean);
    for (const from of text.matchAll(/COPY --from=(\S+)/g)) assert.ok(named.includes(from[1]), `stage ${from[1]}`);
  });

  test("its default Node is the newest major package.json supports, as in .nvmrc", () => {
    const arg = /^ARG NODE_VERSION=(\d+)$/m.exec(text)?.[1];
    const majors = [...pkg.engines!.node!.matchAll(/\^(\d+)\./g)].map((m) => Number(m[1]));
    assert.ok(arg, "ARG NODE_VERSION=<major>");
    assert.equal(Number(arg), Math.max(...majors), `engines ${pkg.engines!.node}`);
    assert.equal(read(".nvmrc").trim(), arg);
  });

  test("every path it copies exists; the port and ARBOR_* variables are the daemon's", () => {
    for (const l of lines.filter((x) => /^COPY\s/i.test(x) && !/--from=/.test(x))) {
      const parts = l.split(/\s+/).slice(1).filter((p) => !p.startsWith("--"));
      for (const src of parts.slice(0, -1)) assert.ok(src === "." || existsSync(join(ROOT, src)), `COPY ${src}`);
    }
    const env = Object.fromEntries([...text.matchAll(/\b(ARBOR_[A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    for (const name of Object.keys(env)) assert.ok(ENV.has(name), `${name} is not read by the daemon`);
    const exposed = last.find((l) => /^EXPOSE\s/i.test(l))?.split(/\s+/)[1];
    assert.equal(exposed, env.ARBOR_PORT);
    // Listening on all interfaces, the daemon needs tenants (a config file): the image's env
    // is valid with one, and refused (with the reason) without.
    const withTenants = JSON.stringify({ tenants: [{ name: "t", api_key: "k" }] });
    assert.equal(loadConfig({ argv: [], env: { ...env, ARBOR_CONFIG: "/c.json" }, readFile: () => withTenants }).port, Number(env.ARBOR_PORT));
    assert.throws(() => loadConfig({ argv: [], env, readFile: () => "{}" }), /refusing to serve without tenants/);
  });

  test(".dockerignore keeps the host's builds and node_modules out", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const p of ["node_modules", "runtime/native/build", "runtime/launcher/build", "runtime/build"]) assert.ok(ignored.includes(p), p);
  });
});

describe("docs/deploy/compose.yaml", () => {
  const compose = parse(readFileSync(join(DEPLOY, "compose.yaml"), "utf8")) as { services: Record<string, any> };
  const services = compose.services;
  const daemons = Object.entries(services).filter(([, s]) => s.build);
  const haproxyCfg = readFileSync(join(DEPLOY, "haproxy.cfg"), "utf8");

  test("three daemons built from the root Dockerfile, one Redis, one HAProxy", () => {
    assert.equal(daemons.length, 3);
    for (const [, s] of daemons) {
      assert.ok(existsSync(join(resolve(DEPLOY, s.build.context), s.build.dockerfile)), "the Dockerfile");
      assert.equal(s.command, undefined, "the image's CMD (npm start)");
    }
    assert.ok(services.redis && services.haproxy);
  });

  test("each daemon's env is the daemon's, and its config file exists, mounted where ARBOR_CONFIG says, and loads", () => {
    for (const [name, s] of daemons) {
      const env = Object.fromEntries(Object.entries<string>(s.environment).map(([k, v]) => [k, String(v)]));
      for (const k of Object.keys(env)) assert.ok(ENV.has(k), `${name}: ${k} is not read by the daemon`);
      const mount = (s.volumes as string[]).map((v) => v.split(":")).find(([, target]) => target === env.ARBOR_CONFIG);
      assert.ok(mount, `${name}: ARBOR_CONFIG ${env.ARBOR_CONFIG} is mounted`);
      const file = resolve(DEPLOY, mount[0]!);
      const { config, store, redis_url } = loadDeployConfig(readFileSync(file, "utf8"), env);
      assert.equal(config.port, Number(env.ARBOR_PORT));
      assert.ok(config.tenants.length > 0, "tenants: the daemon listens on all interfaces");
      assert.equal(store, "redis");
      const redis = redisHostPort(redis_url);
      assert.ok(services[redis.host], `redis_url names the service ${redis.host}`);
      assert.equal(redis.port, 6379);
      assert.ok(s.depends_on.redis, `${name} waits for Redis`);
    }
  });

  test("Redis: a memory budget and volatile-lru; a real redis-server accepts the arguments", async () => {
    const args: string[] = services.redis.command.slice(1).map(String);
    const policy = args[args.indexOf("--maxmemory-policy") + 1];
    assert.equal(policy, "volatile-lru");
    assert.ok(args.includes("--maxmemory"));
    const server = await RedisServer.start({ args });
    await server.dispose();
  });

  test("haproxy.cfg: a server per daemon on its port, health on /readyz, the frontend published; haproxy -c accepts it", () => {
    const volume = (services.haproxy.volumes as string[])[0]!.split(":");
    assert.equal(resolve(DEPLOY, volume[0]!), join(DEPLOY, "haproxy.cfg"));
    const servers = [...haproxyCfg.matchAll(/^\s*server\s+(\S+)\s+([^:\s]+):(\d+)/gm)].map((m) => ({ host: m[2]!, port: m[3]! }));
    assert.deepEqual(servers.map((s) => s.host).sort(), daemons.map(([n]) => n).sort());
    for (const [name, s] of daemons) assert.equal(servers.find((x) => x.host === name)!.port, String(s.environment.ARBOR_PORT));
    const health = /http-check send meth GET uri (\S+)/.exec(haproxyCfg)?.[1];
    assert.equal(health, "/readyz");
    assert.ok(declaresRoute(health!));
    const bind = /^\s*bind\s+\S*:(\d+)/m.exec(haproxyCfg)?.[1];
    assert.ok((services.haproxy.ports as string[]).some((p) => p.endsWith(`:${bind}`)), `port ${bind} published`);
    const { haproxy } = requirePrograms("haproxy");
    const check = spawnSync(haproxy, ["-c", "-f", join(DEPLOY, "haproxy.cfg")], { encoding: "utf8" });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
});

describe("docs/deploy/k8s", () => {
  const dir = join(DEPLOY, "k8s");
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => ({ file: f, ...(d.toJSON() as any) })));
  const one = (kind: string, name?: string) => {
    const found = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
    assert.equal(found.length, 1, `one ${kind} ${name ?? ""}`);
    return found[0];
  };
  const deployment = one("Deployment");
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const configMap = one("ConfigMap", container.envFrom[0].configMapRef.name);
  const env: Record<string, string> = Object.fromEntries(Object.entries<unknown>(configMap.data).map(([k, v]) => [k, String(v)]));

  test("every manifest has a kind the cluster knows; the required ones are there", () => {
    const kinds = new Set(docs.map((d) => `${d.apiVersion} ${d.kind}`));
    for (const k of ["apps/v1 Deployment", "v1 Service", "v1 ConfigMap", "v1 Secret", "policy/v1 PodDisruptionBudget"]) assert.ok(kinds.has(k), k);
  });

  test("the container starts the image's `npm start`, as the image's non-root user, on the daemon's port", () => {
    assert.equal(container.command, undefined);
    assert.equal(container.args, undefined);
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.equal(pod.spec.securityContext.runAsUser, 1000, "uid of `node` in the base image (Dockerfile USER node)");
    const http = container.ports.find((p: any) => p.name === "http");
    assert.equal(String(http.containerPort), env.ARBOR_PORT);
  });

  test("probes: readiness on /readyz, liveness and startup on /healthz, on the named port", () => {
    assert.equal(container.readinessProbe.httpGet.path, "/readyz");
    assert.equal(container.livenessProbe.httpGet.path, "/healthz");
    assert.equal(container.startupProbe.httpGet.path, "/healthz");
    for (const p of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      assert.ok(declaresRoute(p.httpGet.path));
      assert.equal(p.httpGet.port, "http");
    }
  });

  test("resources are requested", () => {
    assert.ok(container.resources.requests.cpu);
    assert.ok(container.resources.requests.memory);
  });

  test("the ConfigMap sets only ARBOR_* variables the daemon reads; the Secret's config loads with them", () => {
    for (const k of Object.keys(env)) assert.ok(ENV.has(k), `${k} is not read by the daemon`);
    const mount = container.volumeMounts.find((m: any) => m.mountPath === posix.dirname(env.ARBOR_CONFIG!));
    assert.ok(mount, `ARBOR_CONFIG ${env.ARBOR_CONFIG} is in a mounted volume`);
    const volume = pod.spec.volumes.find((v: any) => v.name === mount.name);
    const secret = one("Secret", volume.secret.secretName);
    const json = secret.stringData[basename(env.ARBOR_CONFIG!)];
    assert.ok(json, "the Secret holds the file ARBOR_CONFIG names");
    const { config, store, redis_url } = loadDeployConfig(json, env);
    assert.ok(config.tenants.length > 0);
    assert.equal(store, "redis");
    const redis = redisHostPort(redis_url);
    const service = one("Service", redis.host);
    assert.ok(service.spec.ports.some((p: any) => p.port === redis.port), `Service ${redis.host} has port ${redis.port}`);
  });

  test("the Service and the PodDisruptionBudget select the Deployment's pods; the Service targets its port", () => {
    const labels = pod.metadata.labels;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    const service = one("Service", deployment.metadata.name);
    assert.ok(matches(service.spec.selector));
    assert.ok(service.spec.ports.every((p: any) => container.ports.some((c: any) => c.name === p.targetPort)));
    const pdb = one("PodDisruptionBudget");
    assert.ok(matches(pdb.spec.selector.matchLabels));
    assert.ok(matches(deployment.spec.selector.matchLabels));
  });

  test("the Redis they ship keeps to a memory budget with volatile-lru", () => {
    const redis = one("StatefulSet", "arbor-redis").spec.template.spec.containers[0];
    assert.equal(redis.args[redis.args.indexOf("--maxmemory-policy") + 1], "volatile-lru");
    assert.ok(redis.args.includes("--maxmemory"));
  });
});
