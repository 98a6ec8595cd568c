// The daemon's handle on one executor child process: spawn it, wait for its snapshot, send it
// one job at a time, enforce the hard deadline by killing it, and report its death. It never
// trusts what the child says (validate.ts) and never blocks on it.
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { FrameDecoder, frameParts, MAX_CHECKPOINT_BYTES, MAX_FRAME_BYTES } from "../protocol/frames.ts";
import { failedOutcome, type CallStatus, type ExecutorInfo, type FromExecutor, type Job, type Outcome, type StateFingerprintReport, type ToExecutor } from "../protocol/messages.ts";
import { launchSpec } from "./launch.ts";
import { loopSpinJobEnded, loopSpinJobSent } from "./loop-spin.ts";
import { parseFromExecutor } from "./validate.ts";

/** How long past timeout_ms the executor gets to stop the code itself before it is killed. */
export const HARD_KILL_GRACE_MS = 750;
/** How long an executor that stopped a call (trap, termination) gets to check itself and answer. */
export const RECOVERY_GRACE_MS = 10_000;
/**
 * After an executor says it is capturing a large state: its code has ended, and capturing takes
 * ~40 µs per changed page here (a state of 1 GiB, the memory limit's maximum, ~35 s unloaded).
 */
export const CAPTURE_GRACE_MS = 120_000;
const STDERR_TAIL_BYTES = 16 * 1024;

export interface SpawnOptions {
  /** Boot from this Pyodide memory snapshot (makeSnapshot()); without it, a full load. */
  snapshot?: Uint8Array;
  /** Force a restore strategy (tests, benchmarks); default: the best the kernel allows. */
  strategy?: string;
  /** Recycle the executor after this many calls (hygiene against slow leaks outside linear memory). */
  recycleAfterCalls?: number;
  /** How long the idle executor polls its pipe for the next job before it blocks (0: not at all). */
  idleSpinMicros?: number;
  bootTimeoutMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onHostCall?: (call: unknown) => Promise<unknown>;
}

export type ExitReason = "exited" | "retired" | "killed_timeout" | "killed_cancelled" | "killed_protocol" | "killed_shutdown";

interface Pending {
  id: number;
  resolve: (o: Outcome) => void;
  timer: NodeJS.Timeout;
  onHostCall?: (call: unknown) => Promise<unknown>;
  job: Job;
  started: number;
}

export class ExecutorProcess extends EventEmitter {
  info!: ExecutorInfo;
  private readonly child: ChildProcess;
  private readonly pipe: Duplex;
  private readonly decoder = new FrameDecoder(MAX_FRAME_BYTES, MAX_CHECKPOINT_BYTES);
  private pending: Pending | null = null;
  private readonly pings = new Map<number, () => void>();
  private readonly fingerprints = new Map<number, (f: StateFingerprintReport) => void>();
  private nextId = 1;
  private stderrTail = "";
  private exitReason: ExitReason = "exited";
  retireReason = "";
  /** Announced it will exit after its current job: never give it another. */
  retiring = false;
  alive = true;

  private constructor(options: SpawnOptions) {
    super();
    const launch = launchSpec({ ...options, boot: options.snapshot ? "snapshot" : "full" });
    this.child = spawn(launch.command, launch.args, { stdio: ["ignore", "ignore", "pipe", "pipe", options.snapshot ? "pipe" : "ignore"], env: launch.env });
    this.pipe = this.child.stdio[3] as Duplex;
    if (options.snapshot) {
      const snapshotPipe = this.child.stdio[4] as Duplex;
      snapshotPipe.on("error", () => {});
      snapshotPipe.end(options.snapshot);
    }
    this.child.stderr?.on("data", (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    this.pipe.on("data", (chunk: Buffer) => this.onData(chunk));
    this.pipe.on("error", () => {});
    this.child.on("exit", (code, signal) => this.onExit(code, signal));
  }

  /**
   * Boots a throwaway executor that only makes the Pyodide memory snapshot every executor then
   * boots from (fast, and byte-identical), and returns it.
   */
  static makeSnapshot(options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    const launch = launchSpec({ boot: "make-snapshot" });
    const child = spawn(launch.command, launch.args, { stdio: ["ignore", "ignore", "pipe", "ignore", "pipe"], env: launch.env });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdio[4]!.on("data", (d: Buffer) => chunks.push(d));
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-STDERR_TAIL_BYTES)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (code === 0 && chunks.length > 0) resolve(Buffer.concat(chunks));
        else reject(new Error(`snapshot maker failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(-2000) || "no output"}`));
      });
    });
  }

  static spawn(options: SpawnOptions = {}): Promise<ExecutorProcess> {
    const proc = new ExecutorProcess(options);
    const timeoutMs = options.bootTimeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill("killed_shutdown");
        reject(new Error(`executor did not become ready within ${timeoutMs} ms`));
      }, timeoutMs);
      proc.once("ready", () => {
        clearTimeout(timer);
        resolve(proc);
      });
      proc.once("exit", () => {
        clearTimeout(timer);
        reject(new Error(`executor exited during boot: ${proc.stderrTail.trim().slice(-2000) || "no output"}`));
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  get lastStderr(): string {
    return this.stderrTail;
  }

  /** Runs one job. Resolves with an Outcome in every case, including a killed or crashed executor. */
  run(job: Job, options: RunOptions = {}): Promise<Outcome> {
    if (!this.alive) return Promise.resolve(lostOutcome("crashed", "executor is not running"));
    if (this.pending) throw new Error("executor is busy");
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.kill("killed_timeout");
      }, job.timeout_ms + HARD_KILL_GRACE_MS);
      const signal = options.signal;
      const onAbort = () => {
        if (this.pending?.id === id) this.kill("killed_cancelled");
      };
      // The listener goes when the job ends: a long-lived signal must not collect one per job.
      const settle = (o: Outcome) => {
        loopSpinJobEnded();
        signal?.removeEventListener("abort", onAbort);
        resolve(o);
      };
      loopSpinJobSent();
      this.pending = { id, resolve: settle, timer, job, started: performance.now(), onHostCall: options.onHostCall };
      if (signal) {
        if (signal.aborted) return this.kill("killed_cancelled");
        signal.addEventListener("abort", onAbort, { once: true });
      }
      try {
        this.send({ t: "run", id, job, sent_at: performance.timeOrigin + performance.now() });
      } catch (err) {
        // Nothing reached the executor: it stays free, and the call fails on its own.
        clearTimeout(timer);
        this.pending = null;
        settle(failedOutcome("error", { type: "ValueError", message: `the call could not be sent to its interpreter: ${(err as Error).message}`, traceback: "" }));
      }
    });
  }

  /** Round trip of one tiny message, in milliseconds. */
  ping(): Promise<number> {
    const id = this.nextId++;
    const started = performance.now();
    return new Promise((resolve) => {
      this.pings.set(id, () => resolve(performance.now() - started));
      this.send({ t: "ping", id });
    });
  }

  /** The executor's state outside linear memory, hashed (between jobs only). */
  fingerprint(): Promise<StateFingerprintReport> {
    if (!this.alive) return Promise.reject(new Error("executor is not running"));
    if (this.pending) throw new Error("executor is busy");
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error("executor exited before answering"));
      this.once("exit", onExit);
      this.fingerprints.set(id, (f) => {
        this.off("exit", onExit);
        resolve(f);
      });
      this.send({ t: "fingerprint", id });
    });
  }

  kill(reason: ExitReason): void {
    if (!this.alive) return;
    this.exitReason = reason;
    this.child.kill("SIGKILL");
  }

  private send(message: ToExecutor): void {
    // A job's states go with their pages as bytes beside the JSON (frames.ts), written from
    // where they are stored rather than copied into one frame first.
    for (const part of frameParts(message, message.t === "run" && !!message.job.load_states?.length)) this.pipe.write(part);
  }

  private onData(chunk: Buffer): void {
    let messages: unknown[];
    try {
      messages = this.decoder.push(chunk);
    } catch {
      return this.kill("killed_protocol");
    }
    for (const raw of messages) {
      let msg: FromExecutor;
      try {
        msg = parseFromExecutor(raw);
      } catch {
        return this.kill("killed_protocol");
      }
      this.handle(msg);
    }
  }

  /** The running call's code is done: what the executor does now gets `graceMs` of its own. */
  private moveDeadline(id: number, graceMs: number): void {
    const p = this.pending;
    if (!p || p.id !== id) return this.kill("killed_protocol");
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.kill("killed_timeout"), graceMs);
  }

  private handle(msg: FromExecutor): void {
    switch (msg.t) {
      case "ready":
        this.info = msg.info;
        this.emit("ready", msg.info);
        return;
      case "result": {
        const p = this.pending;
        if (!p || p.id !== msg.id) return this.kill("killed_protocol");
        clearTimeout(p.timer);
        this.pending = null;
        p.resolve(msg.outcome);
        return;
      }
      case "pong":
        this.pings.get(msg.id)?.();
        this.pings.delete(msg.id);
        return;
      case "recovering":
        // The code is stopped; what runs now is the executor's own check, bounded on its own.
        return this.moveDeadline(msg.id, RECOVERY_GRACE_MS);
      case "capturing":
        // The code ended in time; the call's hard deadline must not cut the capture short.
        return this.moveDeadline(msg.id, CAPTURE_GRACE_MS);
      case "fingerprint":
        this.fingerprints.get(msg.id)?.(msg.fingerprint);
        this.fingerprints.delete(msg.id);
        return;
      case "host_call": {
        const p = this.pending;
        if (!p) return this.kill("killed_protocol");
        const handler = p.onHostCall;
        const reply = handler
          ? handler(msg.call).catch((e: unknown) => ({ ok: false, error: { type: "OSError", message: String((e as Error)?.message ?? e) } }))
          : Promise.resolve({ ok: false, error: { type: "PermissionError", message: "host calls are not enabled for this call" } });
        void reply.then((r) => {
          if (this.alive && this.pending === p) this.send({ t: "host_reply", id: msg.id, reply: r });
        });
        return;
      }
      case "fatal":
        this.stderrTail += `\n${msg.message}`;
        return;
      case "retire":
        this.exitReason = "retired";
        this.retireReason = msg.reason;
        this.retiring = true;
        this.emit("retiring", msg.reason);
        return;
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.alive = false;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      const elapsed = performance.now() - p.started;
      if (this.exitReason === "killed_timeout") {
        p.resolve(lostOutcome("timeout", `execution exceeded timeout_ms=${p.job.timeout_ms}; the interpreter was stopped`, elapsed));
      } else if (this.exitReason === "killed_cancelled") {
        p.resolve(lostOutcome("crashed", "the call was cancelled by the client", elapsed));
      } else {
        const detail = signal ? `signal ${signal}` : `exit code ${code}`;
        p.resolve(lostOutcome("crashed", `the interpreter process died (${detail})`, elapsed));
      }
    }
    this.emit("exit", { code, signal, reason: this.exitReason, hadJob: p !== null });
  }
}

/** A call whose executor went away: the daemon's own view of how it ended. */
function lostOutcome(status: CallStatus, message: string, execMs = 0): Outcome {
  return failedOutcome(status, { type: status === "timeout" ? "TimeoutError" : "InterpreterCrash", message, traceback: "" }, { execMs });
}
