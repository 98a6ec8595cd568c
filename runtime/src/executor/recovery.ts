// After a trap (os.abort(), a wasm trap, the JS stack exhausted by deep C recursion) or a
// termination at the deadline, the interpreter is put back like after any call; whether that is enough is checked, not assumed:
// the state outside linear memory must match the snapshot's fingerprint and a known cell must
// give its known answer. Then the executor keeps serving (the crash cost a few milliseconds);
// otherwise it retires and a warm spare takes over.
import type { Fingerprint } from "../engine/engine.ts";
import type { Interpreter } from "./interpreter.ts";
import type { StateCache } from "./state-cache.ts";

const CANARY = { code: "import json\nprint(sum(range(10)), json.dumps({'ok': [1, 2]}))", seed: 0 };
const CANARY_STDOUT = '45 {"ok": [1, 2]}\n';

/** null when the interpreter is sound again (resting at the snapshot), else why it is not. */
export function recoverAfterTrap(interp: Interpreter, states: StateCache, snapshot: Fingerprint): string | null {
  try {
    interp.engine.repairAfterStop();
    interp.reset(states.overlay);
    states.enter(interp, null);
    const now = interp.fingerprint();
    if (now.hash !== snapshot.hash) {
      const changed = Object.keys(now.parts).filter((k) => now.parts[k] !== snapshot.parts[k]);
      return `state outside linear memory differs after a trap (${changed.join(", ")})`;
    }
    const seen = interp.runCellNow(CANARY);
    interp.reset();
    if (seen.stdout !== CANARY_STDOUT) return "the interpreter gave a wrong answer after a trap";
    return null;
  } catch (e) {
    return `recovery after a trap failed: ${(e as Error)?.message ?? e}`;
  }
}
