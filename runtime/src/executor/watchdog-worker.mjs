// The watchdog thread: sleeps until the armed call's deadline, then sets Pyodide's interrupt
// buffer to SIGINT (2) and sets it again every 5 ms until the call is disarmed.
// Plain JS on purpose: on Node 20 worker threads do not inherit the tsx loader.
// Layout (shared with watchdog.ts): Int32 [0] armed generation (0 = idle), [1] fired generation;
// Float64 at byte 16: the deadline in epoch ms.
import { workerData } from "node:worker_threads";

const CTL_ARMED = 0;
const CTL_FIRED = 1;
const CTL_INTS = 4;
const SIGINT = 2;
const REPEAT_MS = 5;

const ctl = new Int32Array(workerData.sab, 0, CTL_INTS);
const deadline = new Float64Array(workerData.sab, CTL_INTS * 4, 1);
const interrupt = new Int32Array(workerData.interrupt);

for (;;) {
  const armed = Atomics.load(ctl, CTL_ARMED);
  if (armed === 0) {
    Atomics.wait(ctl, CTL_ARMED, 0);
    continue;
  }
  const remaining = deadline[0] - (performance.timeOrigin + performance.now());
  if (remaining > 0) {
    // Wakes early when the call is disarmed or another one is armed.
    Atomics.wait(ctl, CTL_ARMED, armed, remaining);
    continue;
  }
  Atomics.store(ctl, CTL_FIRED, armed);
  if (Atomics.load(ctl, CTL_ARMED) === armed) Atomics.store(interrupt, 0, SIGINT);
  Atomics.wait(ctl, CTL_ARMED, armed, REPEAT_MS);
}
