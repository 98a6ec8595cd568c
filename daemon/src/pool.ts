// The executor processes: spawn them, hand out idle ones, replace the ones that die.
// A dead executor is replaced at once; calls wait in the scheduler's queue meanwhile.
import { EventEmitter } from "node:events";
import { ExecutorProcess, type ExitReason } from "../../runtime/src/host/executor-process.ts";
import type { ExecutorInfo } from "../../runtime/src/protocol/messages.ts";

export interface PoolOptions {
  size: number;
  strategy?: string;
  /** Called while executors boot, for progress lines. */
  onBooted?: (info: ExecutorInfo, ready: number, total: number) => void;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface PoolStats {
  size: number;
  ready: number;
  busy: number;
  booting: number;
  hardKills: number;
  crashes: number;
  respawns: number;
}

export class Pool extends EventEmitter {
  private readonly idle: ExecutorProcess[] = [];
  private readonly all = new Set<ExecutorProcess>();
  private booting = 0;
  private closed = false;
  private readonly counters = { hardKills: 0, crashes: 0, respawns: 0 };
  info: ExecutorInfo | null = null;

  constructor(private readonly options: PoolOptions) {
    super();
  }

  /** Boots every executor in parallel; resolves once all are ready (rejects if none can boot). */
  async start(): Promise<void> {
    let ready = 0;
    const results = await Promise.allSettled(
      Array.from({ length: this.options.size }, () =>
        this.spawnOne().then((ex) => {
          ready++;
          this.options.onBooted?.(ex.info, ready, this.options.size);
        }),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length === results.length) throw failed[0]!.reason;
  }

  /** An idle executor, or null if all are busy or booting. */
  take(): ExecutorProcess | null {
    return this.idle.pop() ?? null;
  }

  give(ex: ExecutorProcess): void {
    if (!ex.alive || this.closed) return;
    this.idle.push(ex);
    this.emit("available");
  }

  stats(): PoolStats {
    return {
      size: this.options.size,
      ready: this.all.size,
      busy: this.all.size - this.idle.length,
      booting: this.booting,
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const ex of this.all) ex.kill("killed_shutdown");
    this.idle.length = 0;
  }

  private async spawnOne(): Promise<ExecutorProcess> {
    this.booting++;
    try {
      const ex = await ExecutorProcess.spawn({ strategy: this.options.strategy });
      this.info ??= ex.info;
      if (this.closed) {
        ex.kill("killed_shutdown");
        return ex;
      }
      this.all.add(ex);
      ex.once("exit", (e: { reason: ExitReason; hadJob: boolean }) => this.onExit(ex, e));
      this.give(ex);
      return ex;
    } finally {
      this.booting--;
    }
  }

  private onExit(ex: ExecutorProcess, e: { reason: ExitReason; hadJob: boolean }): void {
    this.all.delete(ex);
    const at = this.idle.indexOf(ex);
    if (at >= 0) this.idle.splice(at, 1);
    if (e.reason === "killed_timeout") this.counters.hardKills++;
    else if (e.reason === "exited" || e.reason === "killed_protocol") this.counters.crashes++;
    if (this.closed) return;
    this.options.log?.("executor exited; starting a replacement", { pid: ex.pid, reason: e.reason, stderr: ex.lastStderr.slice(-500) });
    this.counters.respawns++;
    this.spawnOne().catch((err: unknown) => {
      this.options.log?.("replacement executor failed to boot", { error: String(err) });
    });
  }
}
