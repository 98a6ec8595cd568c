// Wall-time limit, soft part: a thread that raises KeyboardInterrupt in Python (through
// Pyodide's interrupt buffer) when a call passes its deadline, and keeps raising it every few ms
// in case the code swallows it. Code that never checks the buffer (a C-level loop) is the
// daemon's job: it kills the process at the hard deadline.
import { Worker } from "node:worker_threads";

// Shared layout, mirrored in watchdog-worker.mjs.
const CTL_ARMED = 0; // generation of the armed call, 0 when idle
const CTL_FIRED = 1; // generation whose deadline passed
const CTL_INTS = 4; // Int32 slots before the Float64 deadline

export class Watchdog {
  private readonly ctl: Int32Array;
  private readonly deadline: Float64Array;
  private readonly worker: Worker;
  private generation = 0;

  constructor(private readonly interrupt: Int32Array) {
    const sab = new SharedArrayBuffer(CTL_INTS * 4 + 8);
    this.ctl = new Int32Array(sab, 0, CTL_INTS);
    this.deadline = new Float64Array(sab, CTL_INTS * 4, 1);
    this.worker = new Worker(new URL("./watchdog-worker.mjs", import.meta.url), {
      workerData: { sab, interrupt: interrupt.buffer },
    });
    this.worker.unref();
  }

  arm(timeoutMs: number): void {
    this.generation = (this.generation % 0x7ffffffe) + 1;
    this.deadline[0] = performance.timeOrigin + performance.now() + timeoutMs;
    Atomics.store(this.interrupt, 0, 0);
    Atomics.store(this.ctl, CTL_ARMED, this.generation);
    Atomics.notify(this.ctl, CTL_ARMED);
  }

  /** Disarms; returns whether this call's deadline passed. */
  disarm(): boolean {
    Atomics.store(this.ctl, CTL_ARMED, 0);
    Atomics.notify(this.ctl, CTL_ARMED);
    Atomics.store(this.interrupt, 0, 0);
    return Atomics.load(this.ctl, CTL_FIRED) === this.generation;
  }
}
