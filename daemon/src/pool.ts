// The executor processes: spawn them, hand out idle ones, replace the ones that die or retire.
// A warm spare (booted, not serving) takes a dead executor's place at once, so no call waits
// for a multi-second Pyodide boot; a new spare then boots in the background.
import { EventEmitter } from "node:events";
import { ExecutorProcess, type ExitReason } from "../../runtime/src/host/executor-process.ts";
import type { ExecutorInfo } from "../../runtime/src/protocol/messages.ts";

export interface PoolOptions {
  size: number;
  /** Booted executors kept out of rotation to replace dead ones instantly (default 1). */
  spares?: number;
  strategy?: string;
  recycleAfterCalls?: number;
  /** Called while executors boot, for progress lines. */
  onBooted?: (info: ExecutorInfo, ready: number, total: number) => void;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface PoolStats {
  size: number;
  ready: number;
  busy: number;
  booting: number;
  spares: number;
  hardKills: number;
  retired: number;
  crashes: number;
  respawns: number;
}

export class Pool extends EventEmitter {
  private readonly idle: ExecutorProcess[] = [];
  private readonly all = new Set<ExecutorProcess>();
  private readonly spares: ExecutorProcess[] = [];
  private booting = 0;
  private closed = false;
  private readonly counters = { hardKills: 0, crashes: 0, respawns: 0, retired: 0 };
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
    // Spares boot after the serving executors, so they do not slow the first ready.
    for (let i = 0; i < (this.options.spares ?? 1); i++) this.bootSpare();
  }

  /** An idle executor, or null if all are busy or booting. */
  take(): ExecutorProcess | null {
    return this.idle.pop() ?? null;
  }

  give(ex: ExecutorProcess): void {
    if (!ex.alive || ex.retiring || this.closed) return;
    this.idle.push(ex);
    this.emit("available");
  }

  stats(): PoolStats {
    return {
      size: this.options.size,
      ready: this.all.size,
      busy: this.all.size - this.idle.length,
      booting: this.booting,
      spares: this.spares.length,
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const ex of [...this.all, ...this.spares]) ex.kill("killed_shutdown");
    this.idle.length = 0;
    this.spares.length = 0;
  }

  private async boot(): Promise<ExecutorProcess> {
    this.booting++;
    try {
      const ex = await ExecutorProcess.spawn({ strategy: this.options.strategy, recycleAfterCalls: this.options.recycleAfterCalls });
      this.info ??= ex.info;
      if (this.closed) ex.kill("killed_shutdown");
      return ex;
    } finally {
      this.booting--;
    }
  }

  private async spawnOne(): Promise<ExecutorProcess> {
    const ex = await this.boot();
    if (!this.closed) this.enlist(ex);
    return ex;
  }

  private enlist(ex: ExecutorProcess): void {
    this.all.add(ex);
    ex.once("exit", (e: { reason: ExitReason; hadJob: boolean }) => this.onExit(ex, e));
    // A retiring executor is replaced as soon as it says so, not when it is gone.
    ex.once("retiring", () => this.replace(ex));
    this.give(ex);
  }

  private readonly replaced = new WeakSet<ExecutorProcess>();

  /** Takes `ex` out of rotation and puts a spare (or a new executor) in its place, once. */
  private replace(ex: ExecutorProcess): void {
    if (this.replaced.has(ex)) return;
    this.replaced.add(ex);
    this.all.delete(ex);
    const at = this.idle.indexOf(ex);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.closed) return;
    this.counters.respawns++;
    const spare = this.spares.shift();
    if (spare?.alive) {
      this.enlist(spare);
      this.bootSpare();
      return;
    }
    this.spawnOne().catch((err: unknown) => {
      this.options.log?.("replacement executor failed to boot", { error: String(err) });
    });
  }

  private bootSpare(): void {
    this.boot().then(
      (ex) => {
        if (this.closed) return;
        this.spares.push(ex);
        ex.once("exit", () => {
          const at = this.spares.indexOf(ex);
          if (at >= 0) {
            this.spares.splice(at, 1);
            if (!this.closed) this.bootSpare();
          }
        });
      },
      (err: unknown) => this.options.log?.("spare executor failed to boot", { error: String(err) }),
    );
  }

  private onExit(ex: ExecutorProcess, e: { reason: ExitReason; hadJob: boolean }): void {
    if (e.reason === "killed_timeout") this.counters.hardKills++;
    else if (e.reason === "retired") this.counters.retired++;
    else if (e.reason === "exited" || e.reason === "killed_protocol") this.counters.crashes++;
    if (!this.closed && !this.replaced.has(ex)) {
      this.options.log?.("executor exited; replacing it", { pid: ex.pid, reason: e.reason, retire: ex.retireReason, stderr: ex.lastStderr.slice(-500) });
    }
    this.replace(ex);
  }
}
