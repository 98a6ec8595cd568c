// The executor's state cache in process: states are held compressed and decompressed when
// entered; a small budget evicts decompressed states, and entering one again rebuilds it. Every
// move (sibling to sibling, state to snapshot, rebuilt after eviction) must leave linear memory
// byte-identical to what it was when the state was captured.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { execute } from "../src/executor/execute.ts";
import { Interpreter } from "../src/executor/interpreter.ts";
import { unpackSpans } from "../src/executor/page-spans.ts";
import { StateCache } from "../src/executor/state-cache.ts";
import { statePages } from "../src/executor/state-pages.ts";
import type { StateBlob } from "../src/protocol/messages.ts";

const LIMITS = { timeout_ms: 10_000, memory_mb: 256, max_output_bytes: 1 << 20 };
const CHILDREN = 24;

describe("state cache", () => {
  let interp: Interpreter;
  let states: StateCache;
  /** Linear memory right after each state's capture: what entering it must reproduce. */
  const captured = new Map<string, Buffer>();

  const restore = () => {
    interp.reset(states.overlay);
    states.reenter(interp);
  };
  const run = (code: string, base: string | null, checkpoint?: string, cache = states) => {
    const { outcome: out } = execute(interp, null, { code, ...LIMITS, base_state: base ?? undefined, checkpoint_id: checkpoint }, 0, cache);
    assert.equal(out.status, "ok", JSON.stringify(out.error));
    if (checkpoint) captured.set(checkpoint, Buffer.from(new Uint8Array(interp.engine.memory.buffer).slice()));
    interp.reset(cache.overlay);
    cache.reenter(interp);
    return out;
  };
  const memoryNow = () => Buffer.from(new Uint8Array(interp.engine.memory.buffer));

  before(async () => {
    interp = await Interpreter.create({});
    // A budget below one decompressed child: every move evicts, so rebuilding is exercised.
    states = new StateCache(interp.baseline, 64 * 1024);
    run("data = list(range(20000))\ntable = {i: str(i) for i in range(2000)}", null, "root");
    for (let i = 0; i < CHILDREN; i++) run(`x = ${i}\nmoves = [x] * 10`, "root", `c${i}`);
  });
  after(() => interp?.strategy.dispose());

  test("children are held compressed; only the entered state stays decompressed under a tiny budget", () => {
    assert.equal(states.size, CHILDREN + 1);
    run("x", "c3");
    assert.ok(states.materializedCount <= 2, `decompressed states: ${states.materializedCount}`);
  });

  test("entering a state reproduces its captured memory exactly, in any order, after evictions", () => {
    const order = [5, 6, 5, 17, 0, 23, 6, 11, 11, 2];
    for (const i of order) {
      states.enter(interp, `c${i}`);
      const want = captured.get(`c${i}`)!;
      assert.equal(memoryNow().length, want.length);
      assert.ok(memoryNow().equals(want), `memory after entering c${i} differs from its capture`);
      assert.equal(run("(x, len(moves), len(data), table[1999])", `c${i}`).result, `(${i}, 10, 20000, '1999')`);
    }
  });

  test("a call that changes a state leaves it unchanged for the next call, on siblings too", () => {
    for (let round = 0; round < 6; round++) {
      const i = round % 2;
      assert.equal(run(`before = x\nx += 1000\ndata.append(-1)\nmoves.clear()\n(before, len(data))`, `c${i}`).result, `(${i}, 20001)`);
      assert.equal(run("(x, len(data), len(moves))", `c${i}`).result, `(${i}, 20000, 10)`);
    }
  });

  test("after a checkpoint the cache rests in the new state: the reset leaves its memory in place", () => {
    run("y = x + 41\nmoves.append(y)", "c1", "g1");
    assert.equal(states.currentId, "g1");
    assert.ok(memoryNow().equals(captured.get("g1")!), "after the reset, memory is the new state's as captured");
    assert.equal(run("(y, len(moves))", "g1").result, "(42, 11)");
    assert.equal(run("(x, len(moves), 'y' in globals())", "c1").result, "(1, 10, False)");
    assert.equal(run("'y' in globals() or 'x' in globals()", null).result, "False");
    assert.equal(run("(y, len(moves))", "g1").result, "(42, 11)");
  });

  test("back to the snapshot: none of the states is visible, and memory is the snapshot's", () => {
    run("1", "c9");
    states.enter(interp, null);
    assert.ok(memoryNow().subarray(0, interp.baseline.length).equals(Buffer.from(interp.baseline)));
    assert.equal(run("'x' in globals() or 'data' in globals()", null).result, "False");
  });

  test("a forgotten state is gone; its siblings still work", () => {
    states.forget(interp, ["c4"]);
    assert.equal(states.has("c4"), false);
    assert.throws(() => states.enter(interp, "c4"), /not loaded/);
    assert.equal(run("x", "c7").result, "7");
  });

  test("a job that forgets the state the executor rests in and enters another gets there in one pass", () => {
    run("1", "c5");
    assert.equal(states.currentId, "c5");
    // One pass of page writes: one writeClean with every page that differs.
    const strategy = interp.strategy;
    const passes: number[] = [];
    const original = strategy.writeClean.bind(strategy);
    strategy.writeClean = (pages, bytesOf) => {
      passes.push(pages.length);
      original(pages, bytesOf);
    };
    try {
      const { outcome } = execute(interp, null, { code: "(x, len(moves))", ...LIMITS, base_state: "c6", forget_states: ["c5"] }, 0, states);
      assert.equal(outcome.result, "(6, 10)", JSON.stringify(outcome.error));
    } finally {
      delete (strategy as Partial<typeof strategy>).writeClean; // the prototype's again
    }
    restore();
    assert.equal(passes.length, 1, `page passes: ${passes.join(", ")}`);
    assert.equal(states.has("c5"), false);
    assert.equal(run("(x, len(moves))", "c6").result, "(6, 10)");
  });

  test("a state captured with the native page codec enters byte-identical with the JS one, and back", () => {
    states.enter(interp, null);
    for (const [maker, taker] of [[statePages(), statePages(true)], [statePages(true), statePages()]] as const) {
      const made = new StateCache(interp.baseline, undefined, maker);
      const id = `x-${maker.kind}`;
      const blob = run("squares = [i * i for i in range(30000)]\nlabel = 'made by ' + str(len(squares))", null, id, made).checkpoint!;
      made.enter(interp, null);
      const taken = new StateCache(interp.baseline, undefined, taker);
      taken.add(blob);
      taken.enter(interp, id);
      assert.ok(memoryNow().equals(captured.get(id)!), `memory after entering ${id} with the ${taker.kind} codec differs from its capture`);
      assert.equal(run("(label, squares[-1])", id, undefined, taken).result, "('made by 30000', 899940001)");
      taken.enter(interp, null);
    }
    assert.equal(run("'squares' in globals()", null).result, "False");
  });

  test("a state in format 1 (whole pages XOR-ed: states stored by the build before) enters byte-identical, under a child in format 2", () => {
    states.enter(interp, null);
    const made = new StateCache(interp.baseline);
    const root = run("old = {'k': list(range(5000))}\nmark = 'v1'", null, "v1-root", made).checkpoint!;
    const child = run("mark += '+child'", "v1-root", "v1-child", made).checkpoint!;
    assert.deepEqual([root.page_format, child.page_format], [2, 2], "this build captures format 2");
    made.enter(interp, null);
    const taken = new StateCache(interp.baseline);
    taken.add(rootInFormat1(root, interp.baseline));
    taken.add(child);
    taken.enter(interp, "v1-child");
    assert.ok(memoryNow().equals(captured.get("v1-child")!), "memory after entering the child of a format-1 state differs from its capture");
    taken.enter(interp, "v1-root");
    assert.ok(memoryNow().equals(captured.get("v1-root")!), "memory after entering the format-1 state differs from its capture");
    assert.equal(run("(mark, len(old['k']))", "v1-child", undefined, taken).result, "('v1+child', 5000)");
    taken.enter(interp, null);
  });

  // Last: it grows this interpreter's memory for good. Entering writes the pages below the
  // baseline's end through the strategy's untracked view (dirty) and the ones past it with their
  // traps lifted and set again; both must come back byte-identical, and a call's writes to either
  // must be put back.
  test("a state that grew memory past the baseline enters byte-identical, pages on both sides of its end", () => {
    const base = interp.baseline.length;
    const made = run("blob = bytes(range(256)) * (40 * 4096)\ntail = bytearray(blob[-4096:])", null, "grown");
    assert.equal(made.status, "ok");
    assert.ok(captured.get("grown")!.length > base, "the state's memory is larger than the baseline");
    for (const move of ["c7", "grown", null, "grown"] as const) {
      states.enter(interp, move);
      if (move === "grown") assert.ok(memoryNow().equals(captured.get("grown")!), "memory after entering the grown state differs from its capture");
    }
    assert.equal(run("tail[0] = 7\n(len(blob), blob[-1], tail[0])", "grown").result, "(41943040, 255, 7)");
    // The call may have grown memory further: that part is zero again.
    const now = memoryNow();
    const want = captured.get("grown")!;
    assert.ok(now.subarray(0, want.length).equals(want), "a call's writes in the grown state were not all put back");
    assert.ok(now.subarray(want.length).every((b) => b === 0), "memory the call grew is not zero again");
    assert.equal(run("(len(blob), tail[0], tail[-1])", "grown").result, "(41943040, 0, 255)");
    states.enter(interp, null);
    assert.equal(run("'blob' in globals()", null).result, "False");
  });
});

/** A root state (no parent) as the build before captured it: each whole page XOR-ed with the snapshot's, deflated. */
function rootInFormat1(blob: StateBlob, baseline: Uint8Array): StateBlob {
  assert.equal(blob.parent_id, null);
  const codec = statePages();
  const { rawLength, deflated } = unpackSpans(blob.pages, blob.page_index.length);
  const snapshotPages = blob.page_index.map((page) => Buffer.from(baseline.subarray(page * 4096, (page + 1) * 4096)));
  assert.ok(snapshotPages.every((p) => p.length === 4096), "the root grew no memory");
  const pages = Buffer.concat(snapshotPages);
  codec.applySpans(codec.inflate(deflated, rawLength), pages);
  snapshotPages.forEach((before, i) => codec.xorInto(pages.subarray(i * 4096, (i + 1) * 4096), before));
  return { ...blob, page_format: 1, pages: deflateRawSync(pages, { level: 1 }) };
}
