// A real cluster: three daemon processes (`arbor serve`, one executor each) sharing a real
// redis-server (states.store "redis"), a real HAProxy in front. States made through one daemon
// are used through the others; tenants stay apart on every daemon; a state of another
// interpreter image or with an ancestor gone gets a typed error; a batch survives a daemon
// SIGKILLed mid-job with every job recorded exactly once; a restarted daemon rejoins; while
// Redis is down, state and batch routes answer 503 and plain evals keep working.
// redis-server and haproxy are installed from Debian when missing and allowed (support/binaries.ts).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { after, before, describe, test } from "node:test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { StateBlob } from "../../runtime/src/protocol/messages.ts";
import { newStateId } from "../src/calls/states/backend.ts";
import { RedisBackend } from "../src/calls/states/redis-backend.ts";
import { DaemonProcess } from "./support/daemon-process.ts";
import { Haproxy, RedisServer, waitFor } from "./support/services.ts";
import { httpCall } from "./support/http-call.ts";

const KEYS = { acme: "acme-cluster-key", beta: "beta-cluster-key" };

function client(base: string, key: string) {
  const call = httpCall(base, key);
  return {
    call,
    create: (code: string) => call("POST", "/v1/states", { code }),
    evalOn: (id: string, code: string, extra: object = {}) => call("POST", `/v1/states/${id}/eval`, { code, ...extra }),
    fork: (id: string, branches: object[]) => call("POST", `/v1/states/${id}/fork`, { branches }),
    info: (id: string) => call("GET", `/v1/states/${id}`),
    del: (id: string) => call("DELETE", `/v1/states/${id}`),
    batch: (id: string) => call("GET", `/v1/batches/${id}`),
  };
}

describe("cluster: 3 daemons on redis-server behind HAProxy", () => {
  let redis: RedisServer;
  let raw: Redis;
  let queue: Queue;
  let proxy: Haproxy;
  const daemons: DaemonProcess[] = [];
  let config: Record<string, unknown>;
  /** A leaf checkpointed through daemon 1, which a later test kills and restarts. */
  let madeByDaemon1 = "";
  const on = (i: number, key: string = KEYS.acme) => client(daemons[i]!.url, key);
  const viaProxy = (key: string = KEYS.acme) => client(proxy.url, key);

  before(async () => {
    redis = await RedisServer.start();
    raw = new Redis(redis.url);
    queue = new Queue("batches", { connection: { host: redis.host, port: redis.port }, prefix: "arbor:bull" });
    // The last test kills Redis under these clients; they reconnect by themselves.
    raw.on("error", () => undefined);
    queue.on("error", () => undefined);
    config = {
      workers: 1,
      states: { store: "redis", redis_url: redis.url },
      // Short locks, so a dead daemon's job runs elsewhere within seconds (30 s by default).
      batches: { lock_ms: 3_000, stalled_check_ms: 1_000, backoff_ms: 200 },
      tenants: [
        { name: "acme", api_key: KEYS.acme },
        { name: "beta", api_key: KEYS.beta },
      ],
    };
    for (let i = 0; i < 3; i++) daemons.push(await DaemonProcess.start(config));
    proxy = await Haproxy.start(daemons.map((d) => ({ port: d.port })), { checkIntervalMs: 200 });
    await proxy.waitForServers(["UP", "UP", "UP"]);
  });

  after(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await proxy?.dispose();
    await queue?.close();
    raw?.disconnect();
    await redis?.dispose();
  });

  test("a state made through one daemon is evaluated, checkpointed, forked, read and deleted through the others", async () => {
    const made = await on(0).create("data = list(range(1000))\nlabel = 'root'");
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const root = made.body.state_id;

    const child = await on(1).evalOn(root, "data.append(-1)\nlabel = 'child'\nprint(sum(data), label)", { checkpoint: true });
    assert.equal(child.status, 200, JSON.stringify(child.body));
    assert.equal(child.body.stdout, "499499 child\n");
    const childId = child.body.state_id;
    assert.match(childId, /^st_/);
    madeByDaemon1 = childId;

    const forked = await on(2).fork(childId, [{ code: "print(len(data), label)" }, { code: "data.clear()\nprint(len(data))" }, { code: "print(label)" }]);
    assert.equal(forked.status, 200, JSON.stringify(forked.body));
    assert.deepEqual(forked.body.results.map((r: any) => r.stdout), ["1001 child\n", "0\n", "child\n"], "daemon 2 fetched both states of the chain from Redis");

    const info = await on(0).info(childId);
    assert.equal(info.status, 200);
    assert.equal(info.body.parent_id, root);
    assert.equal(info.body.depth, 2);
    assert.equal((await on(2).info(root)).body.children, 1, "a child made on daemon 1 is counted on daemon 2");

    assert.equal((await on(2).del(root)).status, 204);
    for (const i of [0, 1, 2]) assert.equal((await on(i).info(root)).body.error.code, "state_not_found", `daemon ${i} sees the delete at once`);
    const still = await on(0).evalOn(childId, "print(label, len(data))");
    assert.equal(still.body.stdout, "child 1001\n", "a deleted parent's child stays usable everywhere");
    // Through HAProxy, whichever daemon answers: the same state.
    for (let n = 0; n < 3; n++) assert.equal((await viaProxy().evalOn(childId, "print(label)")).body.stdout, "child\n");
  });

  test("a tenant never sees or uses another tenant's state on any daemon, even knowing its id", async () => {
    const made = await on(0).create("secret = 'acme only'");
    const id = made.body.state_id;
    for (const i of [0, 1, 2]) {
      const beta = on(i, KEYS.beta);
      assert.equal((await beta.info(id)).body.error.code, "state_not_found");
      assert.equal((await beta.evalOn(id, "print(secret)")).body.error.code, "state_not_found");
      assert.equal((await beta.fork(id, [{ code: "print(secret)" }])).body.error.code, "state_not_found");
      assert.equal((await beta.del(id)).body.error.code, "state_not_found");
      const batch = await beta.call("POST", "/v1/batches", { state_id: id, branches: [{ code: "print(secret)" }] });
      assert.equal(batch.body.error.code, "state_not_found");
    }
    assert.equal((await on(2).evalOn(id, "print(secret)")).body.stdout, "acme only\n", "beta's delete did nothing");
    // In Redis, the state's keys are under acme's name only.
    const keys = await raw.keys(`arbor:st:*${id}*`);
    assert.ok(keys.length > 0 && keys.every((k) => k.startsWith("arbor:st:{acme}:")), keys.join(","));
  });

  test("a state of another interpreter image is refused with state_incompatible; one whose ancestor is gone says so", async () => {
    // A state written by a daemon of another build (another snapshot image), in acme's keys.
    const foreign = new RedisBackend({ connection: redis.url, ttlMs: 60_000, image: () => "ffffffffffffffff" });
    const blob: StateBlob = {
      id: newStateId(),
      parent_id: null,
      memory_bytes: 32 * 1024 * 1024,
      page_index: [0],
      page_format: 1,
      pages: randomBytes(4096),
      fs: { removed: [], dirs: [], files: [], links: [] },
    };
    await foreign.add("acme", blob);
    await foreign.close();
    for (const i of [0, 1, 2]) {
      const refused = await on(i).evalOn(blob.id, "print(1)");
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, "state_incompatible");
      assert.equal(refused.body.error.details.problem, "image");
      assert.equal(refused.body.error.details.found, "ffffffffffffffff");
    }
    assert.equal((await viaProxy().call("POST", "/v1/eval", { code: "print(6 * 7)" })).body.stdout, "42\n", "every daemon keeps serving");

    // Redis lost a parent (eviction under maxmemory): its child can never run again.
    const parent = (await on(0).create("x = 1")).body.state_id;
    const kid = (await on(1).evalOn(parent, "x = 2", { checkpoint: true })).body.state_id;
    await raw.del(`arbor:st:{acme}:${parent}`, `arbor:st:{acme}:${parent}:blob`, `arbor:st:{acme}:${parent}:kids`);
    const gone = await on(2).evalOn(kid, "print(x)");
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "state_not_found");
    assert.deepEqual(gone.body.error.details, { state_id: kid, reason: "ancestor_gone", ancestor_id: parent });
  });

  test("a batch survives a daemon SIGKILLed in the middle of a job: it completes, every job recorded exactly once", async () => {
    const total = 15;
    const requests = Array.from({ length: total }, (_, i) => ({ code: `import time\ntime.sleep(0.6)\nprint(${i} * 7)` }));
    const accepted = await viaProxy().call("POST", "/v1/batches", { requests });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const batchId = accepted.body.batch_id;
    assert.equal((await on(1, KEYS.beta).batch(batchId)).body.error.code, "batch_not_found", "another tenant's batch is unknown");

    // Daemon 1 is killed while BullMQ says it holds a job.
    const victim = daemons[1]!;
    const victimName = `${hostname()}:${victim.pid}`;
    const held = await waitFor("daemon 1 to hold a job of the batch", async () => {
      const active = await queue.getActive();
      return active.find((j) => j.id?.startsWith(batchId) && j.processedBy === victimName);
    }, 60_000, 20);
    await victim.kill();
    await proxy.waitForServers(["UP", "DOWN", "UP"]);

    const done = await waitFor("the batch to finish on the two daemons left", async () => {
      const view = (await viaProxy().batch(batchId)).body;
      return view.status === "done" ? view : undefined;
    }, 90_000, 200);
    assert.equal(done.total, total);
    assert.equal(done.done, total);
    assert.deepEqual(done.results.map((r: any) => r.index), Array.from({ length: total }, (_, i) => i));
    for (const r of done.results) assert.equal(r.response?.stdout, `${r.index * 7}\n`, `job ${r.index}: ${JSON.stringify(r)}`);
    const index = Number(held.id!.slice(batchId.length + 1));
    assert.equal(done.results[index].response.status, "ok", "the killed daemon's job ran again elsewhere");
    // Exactly once where results live: one field per job, and `done` counted each once.
    assert.equal(await raw.hlen(`arbor:bt:{${batchId}}:r`), total);
    assert.equal(Number(await raw.hget(`arbor:bt:{${batchId}}:m`, "done")), total);
  });

  test("a restarted daemon rejoins: HAProxy routes to it, it forks a state it made before it died, serves states made elsewhere, takes batch jobs", async () => {
    const port = daemons[1]!.port;
    daemons[1] = await DaemonProcess.start(config, { port });
    await proxy.waitForServers(["UP", "UP", "UP"]);
    const back = daemons[1]!;

    // Checkpointed by this daemon's previous process (first test), before it was killed.
    const forkedAfter = await on(1).fork(madeByDaemon1, [{ code: "print(len(data), label)" }, { code: "print(data[-1])" }]);
    assert.equal(forkedAfter.status, 200, JSON.stringify(forkedAfter.body));
    assert.deepEqual(forkedAfter.body.results.map((r: any) => r.stdout), ["1001 child\n", "-1\n"], "the same results as before the restart");

    const made = await on(0).create("n = 41");
    assert.equal((await on(1).evalOn(made.body.state_id, "print(n + 1)")).body.stdout, "42\n");

    const requests = Array.from({ length: 9 }, (_, i) => ({ code: `import time\ntime.sleep(0.4)\nprint(${i})` }));
    const batchId = (await viaProxy().call("POST", "/v1/batches", { requests })).body.batch_id;
    const name = `${hostname()}:${back.pid}`;
    let tookOne = false;
    const done = await waitFor("the batch to finish", async () => {
      tookOne ||= (await queue.getActive()).some((j) => j.id?.startsWith(batchId) && j.processedBy === name);
      const view = (await viaProxy().batch(batchId)).body;
      return view.status === "done" ? view : undefined;
    }, 60_000, 20);
    assert.equal(done.done, 9);
    assert.ok(tookOne || back.log.includes(batchId), "the restarted daemon ran jobs of the batch");
  });

  test("Redis down: state and batch routes answer 503 naming the component, /v1/eval keeps working; back when Redis is", async () => {
    await redis.kill();
    const api = on(0);
    const state = await api.create("x = 1");
    assert.equal(state.status, 503, JSON.stringify(state.body));
    assert.equal(state.body.error.code, "unavailable");
    assert.equal(state.body.error.details.component, "state_store");
    const batch = await on(2).call("POST", "/v1/batches", { requests: [{ code: "1" }] });
    assert.equal(batch.status, 503, JSON.stringify(batch.body));
    assert.equal(batch.body.error.details.component, "batch_queue");
    const plain = await viaProxy().call("POST", "/v1/eval", { code: "print('still here')" });
    assert.equal(plain.body.stdout, "still here\n");

    await redis.restart(); // no persistence: it comes back empty
    const again = await waitFor("states to work again", async () => {
      const r = await on(1).create("y = 2");
      return r.status === 201 ? r : undefined;
    }, 30_000, 200);
    assert.equal((await on(2).evalOn(again.body.state_id, "print(y)")).body.stdout, "2\n");
    const accepted = await viaProxy().call("POST", "/v1/batches", { requests: [{ code: "print(3)" }] });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const done = await waitFor("a batch after the outage", async () => {
      const view = (await viaProxy().batch(accepted.body.batch_id)).body;
      return view.status === "done" ? view : undefined;
    }, 30_000, 100);
    assert.equal(done.results[0].response.stdout, "3\n");
  });
});
