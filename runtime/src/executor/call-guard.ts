// Wall-time limit of one call, on the executor's side: at the deadline Python gets
// KeyboardInterrupt (Pyodide's interrupt buffer), and if it has not stopped `graceMs` later, V8
// execution is terminated on the spot (also inside wasm), which stops code that never checks the
// buffer (C-level loops, time.sleep, a loop swallowing KeyboardInterrupt) without losing the
// process; the restore that follows repairs the interpreter. The daemon's SIGKILL at a later
// deadline is the last resort (a thread blocked in a syscall).
//
// Two implementations with the same behaviour:
//   native  runtime/native/src/arbor_deadline.cc: one long-lived thread that wakes only when a
//           deadline is near. The default.
//   vm      a watchdog worker thread plus node:vm's `timeout`, which starts a thread for every
//           call (~0.2 ms and TLB shootdowns per call). The fallback without the addon.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import vm from "node:vm";
import { Watchdog } from "./watchdog.ts";
import { addonPath } from "../addons/path.ts";

export type Guarded<T> =
  | { ok: true; value: T; deadlinePassed: boolean }
  /** fn threw, or was terminated (`terminated`: the grace after the deadline ran out too). */
  | { ok: false; error: unknown; terminated: boolean; deadlinePassed: boolean };

export interface CallGuard {
  readonly name: "native" | "vm";
  /** Why this implementation (the native one's load error, for the fallback). */
  readonly reason: string;
  run<T>(fn: () => T, timeoutMs: number, graceMs: number): Guarded<T>;
  /**
   * Runs a host call's exchange with the daemon (send, then wait for the reply) so that a
   * termination cannot cut it in half: the native guard holds the termination back until fn
   * returns. The vm guard cannot (node:vm terminates on its own thread): its caller must treat a
   * termination inside fn as leaving the pipe out of step.
   */
  hostCall<T>(fn: () => T): T;
}

interface NativeDeadline {
  start(interrupt: SharedArrayBuffer): void;
  call(fn: () => unknown, softMs: number, graceMs: number): unknown;
  deadlinePassed(): boolean;
  enterHostCall(): boolean;
  leaveHostCall(): void;
}

export const DEADLINE_ADDON_PATH = addonPath("arbor_deadline");

class NativeGuard implements CallGuard {
  readonly name = "native" as const;
  readonly reason = "deadline thread (runtime/native arbor_deadline)";

  constructor(private readonly addon: NativeDeadline) {}

  run<T>(fn: () => T, timeoutMs: number, graceMs: number): Guarded<T> {
    try {
      const value = this.addon.call(fn, timeoutMs, graceMs) as T;
      return { ok: true, value, deadlinePassed: this.addon.deadlinePassed() };
    } catch (error) {
      const terminated = (error as { code?: unknown })?.code === "ERR_ARBOR_TERMINATED";
      return { ok: false, error, terminated, deadlinePassed: terminated || this.addon.deadlinePassed() };
    }
  }

  hostCall<T>(fn: () => T): T {
    // Already being terminated: start nothing; the loop's back edge lets the termination land.
    if (!this.addon.enterHostCall()) for (;;);
    try {
      return fn();
    } finally {
      this.addon.leaveHostCall();
    }
  }
}

// vm's timeout runs the call in a context; compiled once, the context holds one slot.
const callSlot = vm.createContext({ call: null as (() => unknown) | null });
const runInSlot = new vm.Script("call()", { filename: "arbor-call" });

class VmGuard implements CallGuard {
  readonly name = "vm" as const;
  private readonly watchdog: Watchdog;

  constructor(
    interrupt: Int32Array,
    readonly reason: string,
  ) {
    this.watchdog = new Watchdog(interrupt);
  }

  run<T>(fn: () => T, timeoutMs: number, graceMs: number): Guarded<T> {
    this.watchdog.arm(timeoutMs);
    callSlot.call = fn;
    try {
      // vm wants a whole number of milliseconds, at least 1.
      const value = runInSlot.runInContext(callSlot, { timeout: Math.max(1, Math.ceil(timeoutMs + graceMs)) }) as T;
      return { ok: true, value, deadlinePassed: this.watchdog.disarm() };
    } catch (error) {
      const terminated = (error as { code?: unknown })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
      // V8's own timeout also means the deadline passed, even if the watchdog thread had not run yet.
      return { ok: false, error, terminated, deadlinePassed: this.watchdog.disarm() || terminated };
    } finally {
      callSlot.call = null;
    }
  }

  hostCall<T>(fn: () => T): T {
    return fn();
  }
}

/** The native guard when its addon loads, else the vm one (`ARBOR_CALL_GUARD=vm` forces it). */
export function createCallGuard(interrupt: Int32Array): CallGuard {
  if (process.env.ARBOR_CALL_GUARD === "vm") return new VmGuard(interrupt, "forced by ARBOR_CALL_GUARD=vm");
  if (!existsSync(DEADLINE_ADDON_PATH)) return new VmGuard(interrupt, `native deadline addon not built (${DEADLINE_ADDON_PATH} missing)`);
  if (!(interrupt.buffer instanceof SharedArrayBuffer) || interrupt.byteOffset !== 0) return new VmGuard(interrupt, "the interrupt buffer is not shared memory");
  try {
    const addon = createRequire(import.meta.url)(DEADLINE_ADDON_PATH) as NativeDeadline;
    if (typeof addon.enterHostCall !== "function") return new VmGuard(interrupt, "native deadline addon is out of date (run runtime/native/build.mjs)");
    addon.start(interrupt.buffer);
    return new NativeGuard(addon);
  } catch (e) {
    return new VmGuard(interrupt, `native deadline addon failed to load: ${(e as Error)?.message ?? e}`);
  }
}
