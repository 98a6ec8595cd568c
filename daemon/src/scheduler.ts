// Admission and queueing in front of the pool: a bounded FIFO queue, answered with `overloaded`
// at once when full (never an unbounded wait), and a queue-time that counts against nothing
// but is reported. One call runs on one executor; the executor is given back when it answers.
import type { Job, Outcome } from "../../runtime/src/protocol/messages.ts";
import type { ExecutorProcess, RunOptions } from "../../runtime/src/host/executor-process.ts";
import type { Pool } from "./pool.ts";

export class OverloadedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("the call queue is full; retry later");
  }
}

export interface Scheduled {
  outcome: Outcome;
  queueMs: number;
  executorPid: number;
}

interface Waiter {
  start: (ex: ExecutorProcess) => void;
  cancel: () => void;
}

export class Scheduler {
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly maxQueue: number,
  ) {
    pool.on("available", () => this.drain());
  }

  get depth(): number {
    return this.queue.length;
  }

  submit(job: Job, options: RunOptions = {}): Promise<Scheduled> {
    const enqueued = performance.now();
    return new Promise<Scheduled>((resolve, reject) => {
      const run = (ex: ExecutorProcess) => {
        const queueMs = performance.now() - enqueued;
        ex.run(job, options).then((outcome) => {
          this.pool.give(ex);
          resolve({ outcome, queueMs, executorPid: ex.pid });
        }, reject);
      };
      const ex = this.queue.length === 0 ? this.pool.take() : null;
      if (ex) return run(ex);
      if (this.queue.length >= this.maxQueue) return reject(new OverloadedError(1));
      const waiter: Waiter = {
        start: run,
        cancel: () => reject(Object.assign(new Error("cancelled while queued"), { code: "cancelled" })),
      };
      this.queue.push(waiter);
      options.signal?.addEventListener("abort", () => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) {
          this.queue.splice(at, 1);
          waiter.cancel();
        }
      }, { once: true });
    });
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const ex = this.pool.take();
      if (!ex) return;
      this.queue.shift()!.start(ex);
    }
  }
}
