// The daemon's poll for its executors' answers (runtime/native/src/loop_spin.c): while a job is
// out, the event loop polls its own epoll fd for a bounded, adaptive while before it blocks, so
// the answer of a short call does not pay the wake-up of a halted vCPU (~80 µs each way on this
// VM, spikes/12-idle-spin; spikes/26-daemon-spin). It never delays I/O or a timer: any event ends
// the poll, and it stops before the loop's next timer is due. One per process, on the main thread.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { addonPath } from "../addons/path.ts";

interface LoopSpinAddon {
  start(maxMicros: number, cpus: number): void;
  jobs(delta: number): void;
  stats(): LoopSpinStats;
}

export interface LoopSpinStats {
  /** The configured maximum, in microseconds. */
  maxMicros: number;
  /** The poll the next wait starts with (0: the loop blocks at once). */
  budgetMicros: number;
  /** CPUs of the machine: the poll runs only while fewer jobs are out. */
  cpus: number;
  /** Jobs out on executors now. */
  jobs: number;
  /** Polls that saw an event, and polls that ran out. */
  hits: number;
  misses: number;
  /** Time spent in polls, in microseconds (a yield between polls lets any runnable thread go first). */
  spunMicros: number;
  /** The bound of the last poll: the budget, or less when a timer was due sooner. */
  lastLimitMicros: number;
}

export const LOOP_SPIN_ADDON = addonPath("arbor_loop_spin");
/** The most the daemon may poll for (0.1 s); the addon refuses more. */
export const MAX_LOOP_SPIN_US = 100_000;

let addon: LoopSpinAddon | null = null;

export interface LoopSpinStart {
  /** The maximum poll in microseconds, 0 when off or unavailable. */
  enabledMicros: number;
  reason: string;
}

/**
 * Starts the poll on this thread's loop with `maxMicros` (0 turns it off). Returns how it runs,
 * for /healthz: "off", or why it could not start.
 */
export function startLoopSpin(maxMicros: number, cpus: number = availableParallelism()): LoopSpinStart {
  if (!Number.isInteger(maxMicros) || maxMicros < 0 || maxMicros > MAX_LOOP_SPIN_US) {
    throw new RangeError(`loop spin must be 0 to ${MAX_LOOP_SPIN_US} microseconds, got ${maxMicros}`);
  }
  if (maxMicros === 0) {
    addon?.start(0, cpus);
    return { enabledMicros: 0, reason: "off (loop_spin_us: 0)" };
  }
  if (!addon) {
    if (!existsSync(LOOP_SPIN_ADDON)) return { enabledMicros: 0, reason: `off: ${LOOP_SPIN_ADDON} missing (run node runtime/native/build.mjs)` };
    try {
      addon = createRequire(import.meta.url)(LOOP_SPIN_ADDON) as LoopSpinAddon;
    } catch (e) {
      return { enabledMicros: 0, reason: `off: arbor_loop_spin failed to load: ${(e as Error).message}` };
    }
  }
  addon.start(maxMicros, cpus);
  return { enabledMicros: maxMicros, reason: `polls up to ${maxMicros} µs for an executor's answer while fewer than ${cpus} jobs are out` };
}

/** A job went out to an executor (the poll runs only while one is out). No-op when not started. */
export function loopSpinJobSent(): void {
  addon?.jobs(1);
}

/** A job ended, however it ended. */
export function loopSpinJobEnded(): void {
  addon?.jobs(-1);
}

/** The poll's counters, or null when it never started. */
export function loopSpinStats(): LoopSpinStats | null {
  return addon ? addon.stats() : null;
}
