// The call guard (runtime/src/executor/call-guard.ts) on its own, for both implementations: a
// normal call passes its value through, an error passes through, a call past its deadline first
// sees the interrupt buffer raised, and one that ignores it is terminated without the
// termination ever reaching code after the call.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { type CallGuard, createCallGuard, DEADLINE_ADDON_PATH } from "../src/executor/call-guard.ts";

const SIGINT = 2;
// Node's \`performance\` global loads lazily: a termination landing inside that first load would
// break it for good (true of any termination, vm's too), so load it before any call runs.
const clock = performance;
let native: { guard: CallGuard; interrupt: Int32Array } | undefined;
function nativeShared(): { guard: CallGuard; interrupt: Int32Array } {
  native ??= guardWith("native");
  return native;
}

function guardWith(kind: "native" | "vm"): { guard: CallGuard; interrupt: Int32Array } {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const before = process.env.ARBOR_CALL_GUARD;
  if (kind === "vm") process.env.ARBOR_CALL_GUARD = "vm";
  try {
    return { guard: createCallGuard(interrupt), interrupt };
  } finally {
    if (before === undefined) delete process.env.ARBOR_CALL_GUARD;
    else process.env.ARBOR_CALL_GUARD = before;
  }
}

test("the native guard is the one in use when its addon is built", () => {
  const { guard } = nativeShared();
  if (existsSync(DEADLINE_ADDON_PATH)) assert.equal(guard.name, "native", guard.reason);
  else assert.equal(guard.name, "vm");
});

for (const kind of ["native", "vm"] as const) {
  describe(`${kind} call guard`, () => {
    // The native guard is one per process (a second start falls back to vm): share it.
    const { guard, interrupt } = kind === "native" ? nativeShared() : guardWith("vm");

    test("passes the value through; the deadline has not passed", () => {
      const r = guard.run(() => 41 + 1, 1000, 50);
      assert.deepEqual(r, { ok: true, value: 42, deadlinePassed: false });
    });

    test("passes an error through, not as a termination", () => {
      const r = guard.run(() => {
        throw new TypeError("boom");
      }, 1000, 50);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.error instanceof TypeError && !r.terminated && !r.deadlinePassed);
    });

    test("raises the interrupt buffer at the deadline; a call that obeys it ends normally", () => {
      const r = guard.run(() => {
        while (Atomics.load(interrupt, 0) !== SIGINT) {
          /* a Python loop checking for KeyboardInterrupt */
        }
        return "interrupted";
      }, 30, 5000);
      assert.deepEqual(r, { ok: true, value: "interrupted", deadlinePassed: true });
      assert.equal(Atomics.load(interrupt, 0), 0, "the interrupt is cleared after the call");
    });

    test("terminates a call that ignores the interrupt, and the next call is unaffected", () => {
      const r = guard.run(() => {
        for (;;) {
          /* a C-level loop: never checks the buffer */
        }
      }, 20, 20);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.terminated && r.deadlinePassed);
      assert.equal(guard.run(() => "fresh", 1000, 50).ok, true);
    });

    test("a termination racing the end of the call never lands outside it", () => {
      // Deadlines at the very end of a short busy loop: each call either finishes or is
      // terminated, and JS after it always runs.
      let after = 0;
      for (let i = 0; i < 200; i++) {
        const r = guard.run(() => {
          const end = clock.now() + 0.3;
          while (clock.now() < end) {
            /* spin */
          }
          return i;
        }, 0.2, 0.1);
        assert.ok(r.ok ? r.value === i : r.terminated, `call ${i}: ${JSON.stringify(r)} ${String((r as { error?: unknown }).error)}`);
        after++;
      }
      assert.equal(after, 200);
    });
  });
}
