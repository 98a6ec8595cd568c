// Branching over real HTTP: states, evals on fresh copies, forks across executors, a tree of
// checkpoints, isolation between siblings and from the parent, determinism with a seed,
// ownership by tenant, deletion, eviction.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { MissingEnvelopeError, Placement } from "../src/calls/states/placement.ts";
import { MemoryBackend } from "../src/calls/states/memory-backend.ts";
import { newStateId } from "../src/calls/states/backend.ts";
import type { StateBlob } from "../../runtime/src/protocol/messages.ts";
import type { ExecutorProcess } from "../../runtime/src/host/executor-process.ts";
import { httpCall } from "./support/http-call.ts";

const KEYS = { acme: "acme-key-1", beta: "beta-key-2" };

async function start(file: object): Promise<{ arbor: Arbor; base: string }> {
  const config = loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
  const arbor = await createArbor({ config });
  await arbor.ready();
  return { arbor, base: await arbor.app.listen({ host: "127.0.0.1", port: 0 }) };
}

function client(base: string, key: string) {
  const call = httpCall(base, key);
  return {
    create: (code: string, extra: object = {}) => call("POST", "/v1/states", { code, ...extra }),
    evalOn: (id: string, code: string, extra: object = {}) => call("POST", `/v1/states/${id}/eval`, { code, ...extra }),
    fork: (id: string, branches: object[]) => call("POST", `/v1/states/${id}/fork`, { branches }),
    info: (id: string) => call("GET", `/v1/states/${id}`),
    del: (id: string) => call("DELETE", `/v1/states/${id}`),
    eval: (code: string) => call("POST", "/v1/eval", { code }),
  };
}

describe("states and forks", () => {
  let arbor: Arbor;
  let base: string;
  let acme: ReturnType<typeof client>;
  let beta: ReturnType<typeof client>;
  let root: string;

  before(async () => {
    const started = await start({
      workers: 2,
      tenants: [
        { name: "acme", api_key: KEYS.acme },
        { name: "beta", api_key: KEYS.beta },
      ],
    });
    arbor = started.arbor;
    base = started.base;
    acme = client(started.base, KEYS.acme);
    beta = client(started.base, KEYS.beta);
    const made = await acme.create("data = list(range(10**5))\nindex = {i: str(i) for i in range(1000)}\nopen('notes.txt', 'w').write('root')\ncounter = 0");
    assert.equal(made.status, 201, JSON.stringify(made.body));
    root = made.body.state_id;
  });
  after(() => arbor.close());

  test("/metrics counts the stored states and their bytes", async () => {
    const text = await (await request(`${base}/metrics`)).body.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]);
    assert.ok(value("arbor_states") >= 1, text.slice(0, 300));
    assert.ok(value("arbor_states_bytes") > 1000);
  });

  test("POST /v1/states answers 201 with the eval fields and a state_id", async () => {
    const made = await acme.create("x = 41\nx + 1");
    assert.equal(made.status, 201);
    assert.equal(made.body.status, "ok");
    assert.equal(made.body.result, "42");
    assert.match(made.body.state_id, /^st_/);
    // Capturing the state is timed apart from running the code.
    assert.ok(made.body.timing.checkpoint_ms > 0, `checkpoint_ms ${made.body.timing.checkpoint_ms}`);
  });

  test("an eval on a state sees its variables and files, and leaves the state unchanged", async () => {
    const first = await acme.evalOn(root, "counter += 1\ndata.append(-1)\nopen('notes.txt', 'a').write('+')\n(counter, len(data), index[7], open('notes.txt').read())");
    assert.equal(first.status, 200);
    assert.equal(first.body.result, "(1, 100001, '7', 'root+')");
    assert.equal(first.body.state_id, undefined);
    assert.equal(first.body.timing.checkpoint_ms, 0, "no checkpoint, nothing captured");
    const again = await acme.evalOn(root, "(counter, len(data), open('notes.txt').read())");
    assert.equal(again.body.result, "(0, 100000, 'root')", "the state did not change");
  });

  test("a fresh /v1/eval never sees a state", async () => {
    const res = await acme.eval("'data' in globals()");
    assert.equal(res.body.result, "False");
  });

  test("fork: every branch starts from its own fresh copy; siblings and parent are isolated", async () => {
    const branches = Array.from({ length: 16 }, (_, i) => ({ code: `data.append(${i})\ncounter += ${i}\n(len(data), data[-1], counter)` }));
    const res = await acme.fork(root, branches);
    assert.equal(res.status, 200);
    assert.equal(res.body.results.length, 16);
    res.body.results.forEach((r: any, i: number) => {
      assert.equal(r.status, "ok");
      assert.equal(r.result, `(100001, ${i}, ${i})`, `branch ${i} saw only its own change`);
    });
    const parent = await acme.evalOn(root, "(len(data), counter)");
    assert.equal(parent.body.result, "(100000, 0)");
  });

  test("fork: branches that time out, fail and succeed are independent of each other", async () => {
    const res = await acme.fork(root, [
      { code: "while True: pass", timeout_ms: 300 },
      { code: "1 / 0" },
      { code: "len(data)" },
      { code: "sum(range(10**13))", timeout_ms: 300 },
      { code: "counter + 1" },
    ]);
    assert.deepEqual(res.body.results.map((r: any) => r.status), ["timeout", "error", "ok", "timeout", "ok"]);
    assert.equal(res.body.results[1].error.type, "ZeroDivisionError");
    assert.equal(res.body.results[2].result, "100000");
    assert.equal(res.body.results[4].result, "1");
  });

  test("a tree of depth 10: each checkpoint is a child of the last, all ancestors intact", async () => {
    let id = root;
    const ids: string[] = [];
    for (let depth = 2; depth <= 10; depth++) {
      const res = await acme.evalOn(id, `counter += 1\nlevel_${depth} = ${depth}\nopen('level.txt', 'w').write('${depth}')\ncounter`, { checkpoint: true });
      assert.equal(res.body.result, String(depth - 1));
      assert.match(res.body.state_id, /^st_/);
      id = res.body.state_id;
      ids.push(id);
    }
    const info = await acme.info(id);
    assert.equal(info.body.depth, 10);
    assert.equal(info.body.parent_id, ids[ids.length - 2]);
    const leaf = await acme.evalOn(id, "(counter, level_2, level_10, open('level.txt').read(), len(data))");
    assert.equal(leaf.body.result, "(9, 2, 10, '10', 100000)");
    const mid = await acme.evalOn(ids[3]!, "(counter, 'level_6' in globals(), open('level.txt').read())");
    assert.equal(mid.body.result, "(4, False, '5')", "an ancestor is unchanged by its descendants");
  });

  test("with a seed, the same code from the same state gives byte-identical output on any executor", async () => {
    const code = "import random\nvals = [random.random() for _ in range(5)]\nprint(vals)\n{str(v): i for i, v in enumerate(vals)}";
    const res = await acme.fork(root, Array.from({ length: 8 }, () => ({ code, seed: 7 })));
    const outs = new Set(res.body.results.map((r: any) => r.stdout + r.result));
    assert.equal(outs.size, 1, "all 8 branches (spread over 2 executors) agree");
    const unseeded = await acme.fork(root, Array.from({ length: 8 }, () => ({ code: "import random\nrandom.random()" })));
    assert.equal(new Set(unseeded.body.results.map((r: any) => r.result)).size, 8, "siblings without a seed do not share a random stream");
  });

  test("a branch may checkpoint: it becomes a state of its own", async () => {
    const res = await acme.fork(root, [{ code: "branch = 'a'", checkpoint: true }, { code: "branch = 'b'", checkpoint: true }, { code: "1" }]);
    const [a, b, plain] = res.body.results;
    assert.match(a.state_id, /^st_/);
    assert.match(b.state_id, /^st_/);
    assert.equal(plain.state_id, undefined);
    assert.ok(a.timing.checkpoint_ms > 0 && b.timing.checkpoint_ms > 0, "each checkpointing branch times its capture");
    assert.equal(plain.timing.checkpoint_ms, 0);
    assert.equal((await acme.evalOn(a.state_id, "branch")).body.result, "'a'");
    assert.equal((await acme.evalOn(b.state_id, "branch")).body.result, "'b'");
    assert.equal((await acme.info(a.state_id)).body.parent_id, root);
  });

  test("a child that changed 1 MB costs about 1 MB to keep", async () => {
    const res = await acme.evalOn(root, "import os\nblob = os.urandom(1024 * 1024)", { checkpoint: true });
    const info = await acme.info(res.body.state_id);
    assert.ok(info.body.bytes >= 1024 * 1024, `bytes ${info.body.bytes}`);
    assert.ok(info.body.bytes < 1.1 * 1024 * 1024, `a 1 MB change costs ${info.body.bytes} bytes`);
    const tiny = await acme.evalOn(root, "y = 1", { checkpoint: true });
    assert.ok((await acme.info(tiny.body.state_id)).body.bytes < 64 * 1024);
  });

  test("a checkpoint whose parent is deleted while the call runs is not kept (state_id null)", async () => {
    const parent = (await acme.create("p = 1")).body.state_id as string;
    const running = acme.evalOn(parent, "import time\ntime.sleep(0.4)\np += 1", { checkpoint: true });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await acme.del(parent)).status, 204);
    const res = await running;
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "ok");
    assert.equal(res.body.state_id, null);
    // The executor that made it is told to drop it; everything else keeps working.
    assert.equal((await acme.evalOn(root, "counter")).body.result, "0");
  });

  test("a call that times out leaves no state", async () => {
    const res = await acme.create("while True: pass", { timeout_ms: 200 });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "timeout");
    assert.equal(res.body.state_id, null);
  });

  test("fork: a state whose memory grew runs on every executor, not only the one that made it", async () => {
    const made = await acme.create("import os, hashlib\ngrown = os.urandom(8 * 1024 * 1024)\nhashlib.sha256(grown).hexdigest()");
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const branches = Array.from({ length: 8 }, (_, i) => ({ code: `import hashlib\n(hashlib.sha256(grown).hexdigest(), ${i})` }));
    const res = await acme.fork(made.body.state_id, branches);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res.body.results.forEach((r: { status: string; result: string; error: unknown }, i: number) => {
      assert.equal(r.status, "ok", `branch ${i}: ${JSON.stringify(r.error)}`);
      assert.equal(r.result, `(${made.body.result}, ${i})`);
    });
    const tooSmall = await acme.evalOn(made.body.state_id, "len(grown)", { memory_mb: 40 });
    assert.equal(tooSmall.body.error?.type, "StateError", "the same answer whichever executor runs it");
    assert.match(tooSmall.body.error.message, /needs \d+\.\d MiB of linear memory, more than this call's memory_mb allows \(40\.0 MiB\)/);
    await acme.del(made.body.state_id);
  });

  test("a state too large to keep: 200, state_id null, a StateError that says the cap; no executor is lost", async () => {
    const before = arbor.services.pool.stats();
    const res = await acme.create("import os\nhuge = os.urandom(70 * 1024 * 1024)\nlen(huge)", { timeout_ms: 60_000, memory_mb: 512 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.state_id, null);
    assert.equal(res.body.status, "error");
    assert.equal(res.body.result, String(70 * 1024 * 1024));
    assert.equal(res.body.error.type, "StateError");
    assert.match(res.body.error.message, /too large to keep: its pages take more than 64\.0 MiB compressed/);
    const now = arbor.services.pool.stats();
    assert.deepEqual([now.crashes, now.respawns], [before.crashes, before.respawns], "the executor was not killed for an oversized answer");
    assert.equal((await acme.evalOn(root, "len(data)")).body.result, "100000");
  });

  test("another tenant's state is unknown to you", async () => {
    for (const res of [await beta.info(root), await beta.evalOn(root, "1"), await beta.fork(root, [{ code: "1" }]), await beta.del(root)]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "state_not_found");
    }
  });

  test("unknown ids, bad forks and bad fields are typed errors", async () => {
    assert.equal((await acme.evalOn("st_nope", "1")).body.error.code, "state_not_found");
    assert.equal((await acme.fork(root, [])).body.error.code, "invalid_request");
    assert.equal((await acme.fork(root, [{ code: "1", bogus: 1 }])).body.error.code, "invalid_request");
    assert.equal((await acme.evalOn(root, "1", { checkpoint: "yes" })).body.error.code, "invalid_request");
  });

  test("DELETE answers 204; the state is gone, its children stay usable", async () => {
    const parent = (await acme.evalOn(root, "p = 1", { checkpoint: true })).body.state_id;
    const child = (await acme.evalOn(parent, "c = p + 1", { checkpoint: true })).body.state_id;
    const del = await acme.del(parent);
    assert.equal(del.status, 204);
    assert.equal((await acme.info(parent)).body.error.code, "state_not_found");
    assert.equal((await acme.evalOn(child, "(p, c)")).body.result, "(1, 2)");
    assert.equal((await acme.del(child)).status, 204);
  });

  test("a fork of 256 branches answers every branch, in order, without a listener-leak warning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      const res = await acme.fork(root, Array.from({ length: 256 }, (_, i) => ({ code: `${i} * 2` })));
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.results.map((r: any) => r.result), Array.from({ length: 256 }, (_, i) => String(i * 2)));
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning")), []);
  });
});

describe("state budget", () => {
  let arbor: Arbor;
  let acme: ReturnType<typeof client>;
  before(async () => {
    const started = await start({ workers: 1, states: { max_bytes: 3 * 1024 * 1024, ttl_ms: 3_600_000 }, tenants: [{ name: "acme", api_key: KEYS.acme }] });
    arbor = started.arbor;
    acme = client(started.base, KEYS.acme);
  });
  after(() => arbor.close());

  test("past the memory budget the least recently used states are evicted (404 state_not_found)", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await acme.create(`import os\nblob = os.urandom(1024 * 1024)\ni = ${i}`);
      ids.push(res.body.state_id);
    }
    assert.equal((await acme.info(ids[0]!)).body.error.code, "state_not_found", "the oldest was evicted");
    assert.equal((await acme.evalOn(ids[4]!, "i")).body.result, "4", "the newest is kept");
    assert.ok(arbor.services.states.stats().bytes <= 3 * 1024 * 1024);
  });
});

const IMAGE = "0123456789abcdef";
const JOB = { code: "1", timeout_ms: 1000, memory_mb: 64, max_output_bytes: 1024 };

function tinyBlob(parent: string | null, bytes = 100): StateBlob {
  return {
    id: newStateId(),
    parent_id: parent,
    memory_bytes: 16 * 1024 * 1024,
    page_index: [1],
    page_format: 1,
    pages: Buffer.alloc(bytes, 7),
    fs: { removed: [], dirs: [], files: [], links: [] },
  };
}

test("placement: a state the store did not keep is forgotten by the executor that made it", () => {
  const placement = new Placement(new MemoryBackend({ maxBytes: 1 << 20, ttlMs: 60_000, image: () => IMAGE }), () => IMAGE);
  const ex = { alive: true } as ExecutorProcess;
  assert.equal(placement.prepare(ex, JOB).forget_states, undefined);
  placement.dropOn(ex, "st_gone");
  assert.deepEqual(placement.prepare(ex, JOB).forget_states, ["st_gone"]);
  assert.equal(placement.prepare(ex, JOB).forget_states, undefined, "said once");
});

test("placement: a chain's states go to each executor once; past its budget an executor keeps only the chain it runs on", async () => {
  const backend = new MemoryBackend({ maxBytes: 1 << 30, ttlMs: 60_000, image: () => IMAGE });
  const placement = new Placement(backend, () => IMAGE, 2_000);
  const open = async (id: string) => {
    const chain = await backend.chain("t", id);
    assert.ok(chain.ok);
    return { tenant: "t", state: chain.state, ids: chain.ids, envelopes: chain.envelopes };
  };
  const root = tinyBlob(null, 600);
  const kid = tinyBlob(root.id, 600);
  const other = tinyBlob(null, 900);
  for (const b of [root, kid, other]) await backend.add("t", b);
  const a = { alive: true } as ExecutorProcess;
  const b = { alive: true } as ExecutorProcess;
  const first = placement.prepare(a, JOB, await open(kid.id));
  assert.deepEqual(first.load_states, [root, kid]);
  assert.equal(placement.prepare(a, JOB, await open(kid.id)).load_states, undefined, "a holds the chain now");
  assert.equal(placement.heldEverywhere(root.id), true, "a is the only executor seen");
  assert.deepEqual(placement.prepare(b, JOB, await open(root.id)).load_states, [root]);
  assert.equal(placement.heldEverywhere(kid.id), false, "b lacks the child");
  // a holds ~1.3 KB; the other state would take it past 2 KB: a drops the rest first.
  const third = placement.prepare(a, JOB, await open(other.id));
  assert.deepEqual(third.load_states, [other]);
  assert.deepEqual(new Set(third.forget_states), new Set([root.id, kid.id]));
  // A lookup that skipped a state an executor lacks is refused, so the call path fetches it all.
  const skipped = await backend.chain("t", kid.id, { need: (id) => id !== root.id });
  assert.ok(skipped.ok);
  const c = { alive: true } as ExecutorProcess;
  assert.throws(() => placement.prepare(c, JOB, { tenant: "t", state: skipped.state, ids: skipped.ids, envelopes: skipped.envelopes }), MissingEnvelopeError);
});

test("placement: a state of another snapshot image is refused with state_incompatible, never sent", async () => {
  const backend = new MemoryBackend({ maxBytes: 1 << 30, ttlMs: 60_000, image: () => "ffffffffffffffff" });
  const s = tinyBlob(null);
  await backend.add("t", s);
  const chain = await backend.chain("t", s.id);
  assert.ok(chain.ok);
  const placement = new Placement(backend, () => IMAGE);
  assert.throws(
    () => placement.prepare({ alive: true } as ExecutorProcess, JOB, { tenant: "t", state: chain.state, ids: chain.ids, envelopes: chain.envelopes }),
    (err: any) => err.code === "state_incompatible" && err.details.problem === "image" && err.details.found === "ffffffffffffffff",
  );
});
