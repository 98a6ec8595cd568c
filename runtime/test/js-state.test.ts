// Pyodide's JS-reference (hiwire) table at a reset, in process: whatever references a call left in
// slots past the snapshot's are dropped, whether the table grew by one slot, by several or not at
// all, and the reset's probe for growth (a set one past the end) does not grow the table itself.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { PyodideEngine } from "../src/engine/pyodide/pyodide-engine.ts";
import { Interpreter } from "../src/executor/interpreter.ts";

interface HiwireModule {
  __hiwire_get(index: number): unknown;
  __hiwire_set(index: number, value: unknown): number;
}

/** The table's length, read the slow way: up to the first index that traps. */
function tableLength(m: HiwireModule): number {
  for (let i = 0; ; i++) {
    try {
      m.__hiwire_get(i);
    } catch {
      return i;
    }
  }
}

describe("the hiwire table at a reset", () => {
  let interp: Interpreter;
  let m: HiwireModule;
  let snapshotSlots: number;
  before(async () => {
    interp = await Interpreter.create({});
    m = ((interp.engine as PyodideEngine).pyodide as unknown as { _module: HiwireModule })._module;
    snapshotSlots = tableLength(m);
  });

  /** What a call that made JS references would leave: objects in `count` new slots at the end. */
  function leaveReferences(count: number): object[] {
    const left: object[] = [];
    for (let k = 0; k < count; k++) {
      const obj = { secret: `call data ${k}` };
      const end = tableLength(m);
      assert.equal(m.__hiwire_set(end, obj), end, "setting the slot at the end grows the table by it");
      left.push(obj);
    }
    return left;
  }

  function slotsPastSnapshot(): unknown[] {
    const out: unknown[] = [];
    for (let i = snapshotSlots; i < tableLength(m); i++) out.push(m.__hiwire_get(i));
    return out;
  }

  for (const grown of [1, 2, 5]) {
    test(`references in ${grown} new slot(s) are gone after the reset, and the next reset keeps it so`, () => {
      const left = leaveReferences(grown);
      assert.ok(slotsPastSnapshot().some((v) => v === left[0]), "the call's reference is in the table before the reset");
      interp.reset();
      for (const v of slotsPastSnapshot()) assert.equal(v, null);
      assert.ok(interp.tableGrowth >= grown, `growth ${interp.tableGrowth} counts the ${grown} slot(s)`);
      // A call that grows nothing, then one more reset: still clean, the interpreter still answers.
      const before = tableLength(m);
      const out = interp.runCellNow({ code: "print(6 * 7)" });
      assert.equal(out.stdout, "42\n");
      interp.reset();
      assert.equal(tableLength(m), before, "a reset without growth does not grow the table");
      for (const v of slotsPastSnapshot()) assert.equal(v, null);
    });
  }

  test("a slot the call filled inside the table's grown part is dropped as well", () => {
    leaveReferences(3);
    interp.reset();
    // The table is longer than the snapshot's now; a later call reuses a slot inside it.
    const length = tableLength(m);
    const obj = { secret: "reused slot" };
    assert.equal(m.__hiwire_set(length - 1, obj), 0);
    interp.reset();
    assert.equal(m.__hiwire_get(length - 1), null);
    for (const v of slotsPastSnapshot()) assert.equal(v, null);
  });
});
