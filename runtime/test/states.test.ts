// Checkpointed states inside executors: captured on one executor, applied on another; many
// calls on one state leave it unchanged; moving between states and the snapshot leaks nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { packSpans, unpackSpans } from "../src/executor/page-spans.ts";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import type { StateBlob } from "../src/protocol/messages.ts";
import { job } from "./helpers.ts";

describe("states across executors", () => {
  let a: ExecutorProcess;
  let b: ExecutorProcess;
  let root: StateBlob;
  before(async () => {
    [a, b] = await Promise.all([ExecutorProcess.spawn(), ExecutorProcess.spawn()]);
    const made = await a.run(job("data = list(range(50000))\ntable = {str(i): i for i in range(5000)}\nopen('f.txt', 'w').write('v1')\nn = 0", { checkpoint_id: "root" }));
    assert.equal(made.status, "ok", JSON.stringify(made.error));
    root = made.checkpoint!;
  });
  after(() => {
    a.kill("killed_shutdown");
    b.kill("killed_shutdown");
  });

  test("every executor boots to the same snapshot bytes", () => {
    assert.equal(a.info.image, b.info.image);
  });

  test("a state captured on one executor runs on another", async () => {
    const o = await b.run(job("(len(data), table['4999'], open('f.txt').read(), n)", { base_state: "root", load_states: [root] }));
    assert.equal(o.result, "(50000, 4999, 'v1', 0)");
  });

  test("50 calls on one state, each changing it, never change the state", async () => {
    for (let i = 0; i < 50; i++) {
      const code = `assert (len(data), n, open('f.txt').read()) == (50000, 0, 'v1'), (len(data), n)\ndata[${i * 997}] = -1\ndata.extend(range(${i}))\nn += 1\ntable['k${i}'] = ${i}\nopen('f.txt', 'w').write('changed')\nlen(table)`;
      const o = await a.run(job(code, { base_state: "root" }));
      assert.equal(o.status, "ok", `call ${i}: ${JSON.stringify(o.error)}`);
      assert.equal(o.result, "5001");
    }
    const check = await a.run(job("(data[0], data[997], len(data), n, len(table))", { base_state: "root" }));
    assert.equal(check.result, "(0, 997, 50000, 0, 5000)");
  });

  test("a snapshot call after state calls sees none of the state, and back again", async () => {
    const fresh = await a.run(job("import os\n('data' in globals(), os.path.exists('f.txt'))"));
    assert.equal(fresh.result, "(False, False)");
    const again = await a.run(job("(len(data), open('f.txt').read())", { base_state: "root" }));
    assert.equal(again.result, "(50000, 'v1')");
    const fresh2 = await a.run(job("'table' in globals()"));
    assert.equal(fresh2.result, "False");
  });

  test("a child captured on a state holds only what differs from its parent", async () => {
    const child = await a.run(job("n = 7\ndata[-1] = 'x'", { base_state: "root", checkpoint_id: "child" }));
    assert.equal(child.checkpoint?.parent_id, "root");
    assert.ok(child.checkpoint!.page_index.length < root.page_index.length / 4, `the child is a diff, not a copy (${child.checkpoint!.page_index.length} pages, its parent ${root.page_index.length})`);
    const onB = await b.run(job("(n, data[-1], len(data))", { base_state: "child", load_states: [child.checkpoint!] }));
    assert.equal(onB.result, "(7, 'x', 50000)");
  });

  test("forgetting a state drops it; using it again is a StateError", async () => {
    const o = await b.run(job("1", { forget_states: ["child"], base_state: "child" }));
    assert.equal(o.status, "error");
    assert.equal(o.error?.type, "StateError");
    const stillRoot = await b.run(job("len(data)", { base_state: "root" }));
    assert.equal(stillRoot.result, "50000");
  });

  test("a checkpoint comes back with its pages as bytes, and a copy of them runs anywhere", async () => {
    assert.ok(root.pages instanceof Uint8Array, "beside the frame's JSON, not base64 inside it");
    const c = await ExecutorProcess.spawn();
    try {
      const o = await c.run(job("(len(data), table['4999'], open('f.txt').read(), n)", { base_state: "root", load_states: [{ ...root, pages: Uint8Array.from(root.pages) }] }));
      assert.equal(o.result, "(50000, 4999, 'v1', 0)", JSON.stringify(o.error));
    } finally {
      c.kill("killed_shutdown");
    }
  });

  test("a state whose page data was damaged is refused with a StateError that says how; the executor keeps serving", async () => {
    const raw = inflateRawSync(unpackSpans(root.pages, root.page_index.length).deflated);
    raw.writeUInt16LE(0xffff, 4); // the first page's first span: 65,535 bytes long
    const spanPastPage = { ...root, id: "damaged", pages: packSpans(raw) };
    const lengthTooLarge = Buffer.from(root.pages);
    lengthTooLarge.writeUInt32LE(0xffffffff, 0);
    const cases: Array<[StateBlob, RegExp]> = [
      [spanPastPage, /state damaged: page 0 of the state: spans empty, overlapping or outside the page/],
      [{ ...root, id: "damaged2", pages: lengthTooLarge }, /state damaged2: page data says 4294967295 bytes/],
    ];
    for (const [blob, message] of cases) {
      const o = await b.run(job("len(data)", { base_state: blob.id, load_states: [blob] }));
      assert.equal(o.status, "error");
      assert.equal(o.error?.type, "StateError");
      assert.match(o.error!.message, message);
    }
    assert.equal((await b.run(job("len(data)", { base_state: "root" }))).result, "50000");
    assert.equal((await b.run(job("'data' in globals()"))).result, "False");
  });

  test("a state too large to keep is refused with a StateError that says the cap; the executor keeps serving", async () => {
    // 70 MiB of random bytes compress to more than the 64 MiB a checkpoint may carry. Sent
    // anyway, the daemon's decoder would refuse the frame and kill the executor as a protocol breach.
    const o = await a.run(job("import os\nhuge = os.urandom(70 * 1024 * 1024)\nlen(huge)", { base_state: "root", checkpoint_id: "huge", timeout_ms: 60_000 }));
    assert.equal(o.status, "error");
    assert.equal(o.checkpoint, undefined);
    assert.equal(o.result, String(70 * 1024 * 1024), "the call's own answer stands");
    assert.equal(o.error?.type, "StateError");
    assert.equal(o.error!.message, "the state this call left is too large to keep: its pages take more than 64.0 MiB compressed, the most a kept state can take");
    assert.equal(a.alive, true);
    const gone = await a.run(job("1", { base_state: "huge" }));
    assert.equal(gone.error?.type, "StateError", "the refused state was not kept");
    assert.equal((await a.run(job("(len(data), 'huge' in globals())", { base_state: "root" }))).result, "(50000, False)");
  });

  test("a state whose memory grew runs on another executor; one needing more than the call's memory_mb is a StateError", async () => {
    // b's memory grows to the state's size before the pages go in, and the engine's views of it
    // with it: without that, b's runner could not even read its job.
    const code = "import os, hashlib\ngrown = os.urandom(8 * 1024 * 1024)\nhashlib.sha256(grown).hexdigest()";
    const made = await a.run(job(code, { base_state: "root", checkpoint_id: "grown" }));
    assert.equal(made.status, "ok", JSON.stringify(made.error));
    assert.ok(made.checkpoint!.memory_bytes > made.memory_bytes - 1 && made.checkpoint!.memory_bytes > 40 * 1024 * 1024, `memory grew: ${made.checkpoint!.memory_bytes}`);
    const onB = await b.run(job("import hashlib\n(hashlib.sha256(grown).hexdigest(), len(data))", { base_state: "grown", load_states: [root, made.checkpoint!] }));
    assert.equal(onB.status, "ok", JSON.stringify(onB.error));
    assert.equal(onB.result, `(${made.result}, 50000)`);
    assert.equal((await b.run(job("'grown' in globals() or 'data' in globals()"))).result, "False", "back on the snapshot, nothing of it");
    const tooSmall = await b.run(job("len(grown)", { base_state: "grown", memory_mb: 40 }));
    assert.equal(tooSmall.error?.type, "StateError");
    assert.match(tooSmall.error!.message, /needs \d+\.\d MiB of linear memory, more than this call's memory_mb allows \(40\.0 MiB\)/);
    assert.equal((await b.run(job("len(grown)", { base_state: "grown" }))).result, String(8 * 1024 * 1024));
    await a.run(job("1", { forget_states: ["grown"] }));
    await b.run(job("1", { forget_states: ["grown"] }));
  });

  test("a call that ends just inside its deadline keeps a large state: the capture is not cut by the hard kill", async () => {
    // 300 MiB of changed pages take seconds to capture (every page compared, copied, encoded and
    // deflated), far past timeout_ms + the 750 ms grace from when the job was sent, which the
    // code itself nearly uses up; the executor says it is capturing and the deadline moves.
    const code = "import time\nt0 = time.monotonic()\nlate = b'ab' * (150 * 1024 * 1024)\nwhile time.monotonic() - t0 < 3.0: pass\nlen(late)";
    const o = await a.run(job(code, { base_state: "root", checkpoint_id: "late", timeout_ms: 4000, memory_mb: 1024 }));
    assert.equal(o.status, "ok", JSON.stringify(o.error));
    assert.ok(o.checkpoint && o.checkpoint.page_index.length > 75_000, "the state came back whole");
    assert.equal(a.alive, true);
    assert.equal((await a.run(job("(len(late), late[-2:], len(data))", { base_state: "late", memory_mb: 1024 }))).result, `(${300 * 1024 * 1024}, b'ab', 50000)`);
    await a.run(job("1", { forget_states: ["late"] }));
  });

  test("a job that cannot be sent fails on its own and leaves the executor free", async () => {
    const bad = await a.run({ ...job("1"), seed: 1n as unknown as number }); // JSON cannot carry a BigInt
    assert.equal(bad.status, "error");
    assert.match(bad.error?.message ?? "", /could not be sent/);
    assert.equal(a.alive, true);
    assert.equal((await a.run(job("40 + 2"))).result, "42");
  });
});
