// Admission and queueing in front of the pool: a bounded queue, answered with `overloaded` at
// once when full (never an unbounded wait), and per-tenant concurrency. A call whose tenant is
// at its cap waits in the same bounded queue (it counts against queue.max_length) and is skipped,
// not blocking, when an executor frees up, so one busy tenant cannot stall the others.
import type { Job, Outcome } from "../../../runtime/src/protocol/messages.ts";
import type { ExecutorProcess, RunOptions } from "../../../runtime/src/host/executor-process.ts";
import type { Pool } from "./pool.ts";

export class OverloadedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("the call queue is full; retry later");
  }
}

/** Whose call this is, for per-tenant concurrency; `concurrency` null means no cap. */
export interface TenantSlot {
  name: string;
  concurrency: number | null;
}

export interface SubmitOptions extends RunOptions {
  tenant?: TenantSlot;
  /** Admit past queue.max_length (the branches of one fork request, already bounded by it). */
  unbounded?: boolean;
}

/** A job, or a function that completes it for the executor it lands on (e.g. states it lacks). */
export type JobFor = Job | ((ex: ExecutorProcess) => Job);

export interface Scheduled {
  outcome: Outcome;
  queueMs: number;
  executorPid: number;
  /** The executor did not survive the call (killed at the hard deadline, or died). */
  executorLost: boolean;
}

interface Waiter {
  tenant: TenantSlot | undefined;
  start: (ex: ExecutorProcess) => void;
  fail: (err: Error) => void;
}

/** The pool as the scheduler sees it (a fake in unit tests). */
export type SchedulerPool = Pick<Pool, "take" | "give" | "on" | "idleCount">;

export class Scheduler {
  private readonly queue: Waiter[] = [];
  private readonly running = new Map<string, number>();

  constructor(
    private readonly pool: SchedulerPool,
    private readonly maxQueue: number,
  ) {
    pool.on("available", () => this.drain());
  }

  /** Calls waiting for an executor (or for their tenant's concurrency). */
  get depth(): number {
    return this.queue.length;
  }

  /** Calls of this tenant on an executor now. */
  runningFor(tenant: string): number {
    return this.running.get(tenant) ?? 0;
  }

  submit(job: JobFor, options: SubmitOptions = {}): Promise<Scheduled> {
    const { tenant, unbounded, ...runOptions } = options;
    const enqueued = performance.now();
    return new Promise<Scheduled>((resolve, reject) => {
      let waiter: Waiter | undefined;
      // Removed once the call starts (or fires once): a fork's shared signal must not collect them.
      const onAbortWhileQueued = () => {
        const at = waiter ? this.queue.indexOf(waiter) : -1;
        if (at >= 0) {
          this.queue.splice(at, 1);
          reject(Object.assign(new Error("cancelled while queued"), { code: "cancelled" }));
        }
      };
      const run = (ex: ExecutorProcess) => {
        runOptions.signal?.removeEventListener("abort", onAbortWhileQueued);
        const queueMs = performance.now() - enqueued;
        this.acquire(tenant);
        const settle = () => {
          this.release(tenant);
          this.pool.give(ex); // a dead executor is not taken back; the pool replaces it
          this.drain(); // a freed tenant slot may unblock a waiter even without a freed executor
        };
        let forEx: Job;
        try {
          forEx = typeof job === "function" ? job(ex) : job;
        } catch (err) {
          settle();
          return reject(err);
        }
        ex.run(forEx, runOptions).then(
          (outcome) => {
            settle();
            resolve({ outcome, queueMs, executorPid: ex.pid, executorLost: !ex.alive });
          },
          (err: unknown) => {
            settle();
            reject(err);
          },
        );
      };
      // After every drain either no executor is idle or no waiter can start, so taking one
      // here never jumps ahead of a waiter that could have run.
      const ex = this.underCap(tenant) ? this.pool.take(tenant?.name) : null;
      if (ex) return run(ex);
      if (!unbounded && this.queue.length >= this.maxQueue) return reject(new OverloadedError(1));
      waiter = {
        tenant,
        start: run,
        fail: reject,
      };
      this.queue.push(waiter);
      runOptions.signal?.addEventListener("abort", onAbortWhileQueued, { once: true });
    });
  }

  /** Fails every queued call with `err` (the executors are going away). */
  abandonQueue(err: Error): void {
    for (const waiter of this.queue.splice(0)) waiter.fail(err);
  }

  private underCap(tenant: TenantSlot | undefined): boolean {
    return !tenant || tenant.concurrency === null || this.runningFor(tenant.name) < tenant.concurrency;
  }

  private acquire(tenant: TenantSlot | undefined): void {
    if (tenant) this.running.set(tenant.name, this.runningFor(tenant.name) + 1);
  }

  private release(tenant: TenantSlot | undefined): void {
    if (!tenant) return;
    const left = this.runningFor(tenant.name) - 1;
    if (left > 0) this.running.set(tenant.name, left);
    else this.running.delete(tenant.name);
  }

  // FIFO among the waiters that may start; a waiter whose tenant is at its cap, or for whom no
  // idle executor will do (tenant isolation), keeps its place while the ones behind it go.
  private drain(): void {
    for (let i = 0; i < this.queue.length && this.pool.idleCount > 0; ) {
      const waiter = this.queue[i]!;
      const ex = this.underCap(waiter.tenant) ? this.pool.take(waiter.tenant?.name) : null;
      if (!ex) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      waiter.start(ex);
    }
  }
}
