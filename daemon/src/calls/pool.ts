// The executor processes: boot them from one Pyodide snapshot, hand out idle ones, replace the
// ones that die or retire. Warm spares (booted, not serving) take a dead executor's place at
// once, so no call waits for a boot.
//
// Tenant isolation ("tenant", the default when tenants are configured): an executor serves one
// tenant from its first call until it retires, so an unknown leak inside an interpreter still
// cannot cross tenants. A tenant with no idle executor of its own takes a fresh one, or a
// spare in exchange for another tenant's idle executor (which retires). "shared": any executor
// serves any tenant, one call at a time, with the restore between calls as the only wall.
import { EventEmitter } from "node:events";
import { ExecutorProcess, type ExitReason } from "../../../runtime/src/host/executor-process.ts";
import type { SnapshotStore } from "../../../runtime/src/host/snapshot-store.ts";
import type { ExecutorInfo } from "../../../runtime/src/protocol/messages.ts";

export type Isolation = "tenant" | "shared";

export interface PoolOptions {
  size: number;
  /** Booted executors kept out of rotation to replace dead ones instantly (default 1). */
  spares?: number;
  isolation?: Isolation;
  /** Where executors boot from; without it every executor does a full Pyodide load. */
  snapshots?: SnapshotStore;
  strategy?: string;
  recycleAfterCalls?: number;
  /** How long an idle executor polls for its next job before it blocks (config idle_spin_us). */
  idleSpinMicros?: number;
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
  /** Idle executors of one tenant retired to give another tenant an executor. */
  reassigned: number;
}

export interface BootReport {
  /** "snapshot" when executors boot from the shared Pyodide snapshot. */
  mode: "snapshot" | "full";
  detail: string;
  snapshot_ms: number | null;
}

export class Pool extends EventEmitter {
  private readonly idle: ExecutorProcess[] = [];
  private readonly all = new Set<ExecutorProcess>();
  private readonly spares: ExecutorProcess[] = [];
  private readonly owner = new WeakMap<ExecutorProcess, string>();
  /** Executors booting for a tenant that had none idle (one at a time per tenant). */
  private readonly bootingFor = new Set<string>();
  private booting = 0;
  private closed = false;
  private snapshot: Uint8Array | undefined;
  private readonly counters = { hardKills: 0, crashes: 0, respawns: 0, retired: 0, reassigned: 0 };
  info: ExecutorInfo | null = null;
  boot: BootReport = { mode: "full", detail: "not started", snapshot_ms: null };

  constructor(private readonly options: PoolOptions) {
    super();
  }

  get isolation(): Isolation {
    return this.options.isolation ?? "shared";
  }

  /** Makes (or loads) the snapshot, then boots every executor; rejects if none can boot. */
  async start(): Promise<void> {
    await this.prepareSnapshot();
    let ready = 0;
    const results = await Promise.allSettled(
      Array.from({ length: this.options.size }, () =>
        this.spawnOne(null).then((ex) => {
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

  /**
   * An idle executor for `tenant`, or null (all busy, or one is booting for it). Under tenant
   * isolation only one that is the tenant's already or has served nobody.
   */
  take(tenant?: string): ExecutorProcess | null {
    if (this.isolation === "shared" || tenant === undefined) return this.idle.pop() ?? null;
    const own = this.takeIdle((ex) => this.owner.get(ex) === tenant) ?? this.takeIdle((ex) => !this.owner.has(ex));
    if (own) {
      this.owner.set(own, tenant);
      return own;
    }
    return this.reassign(tenant);
  }

  /** Executors seated for `tenant` count as having served nobody again (after our own warm-up). */
  disown(tenant: string): void {
    for (const ex of this.all) if (this.owner.get(ex) === tenant) this.owner.delete(ex);
  }

  give(ex: ExecutorProcess): void {
    if (!ex.alive || ex.retiring || this.closed) return;
    this.idle.push(ex);
    this.emit("available");
  }

  /** Idle executors (of any tenant): a waiter that cannot use them may still be skipped over. */
  get idleCount(): number {
    return this.idle.length;
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

  private async prepareSnapshot(): Promise<void> {
    const store = this.options.snapshots;
    if (!store) {
      this.boot = { mode: "full", detail: "snapshot boot disabled", snapshot_ms: null };
      return;
    }
    try {
      const snap = await store.get();
      this.snapshot = snap.bytes;
      this.boot = { mode: "snapshot", detail: `Pyodide snapshot ${snap.source === "cache" ? "loaded from cache" : "made"} (${(snap.bytes.length / 2 ** 20).toFixed(1)} MiB)`, snapshot_ms: Math.round(snap.ms) };
    } catch (e) {
      this.boot = { mode: "full", detail: `no snapshot, full boots: ${(e as Error).message.slice(0, 300)}`, snapshot_ms: null };
      this.options.log?.("could not make the Pyodide snapshot; executors do full boots", { error: String(e) });
    }
  }

  private takeIdle(match: (ex: ExecutorProcess) => boolean): ExecutorProcess | null {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const ex = this.idle[i]!;
      if (!match(ex)) continue;
      this.idle.splice(i, 1);
      return ex;
    }
    return null;
  }

  /**
   * The tenant has no idle executor: an idle one of a tenant that holds more executors than this
   * one (the most, idle longest among them) retires, and a spare takes its seat for this tenant.
   * Without a spare the seat is booted for the tenant (the call waits for it in the queue).
   * Never from a tenant holding as many as this one: a busy (or hostile) tenant cannot take the
   * last executor of another and make its next call wait for a boot.
   */
  private reassign(tenant: string): ExecutorProcess | null {
    if (this.bootingFor.has(tenant)) return null;
    const victim = this.reassignable(tenant);
    if (!victim) return null;
    this.idle.splice(this.idle.indexOf(victim), 1);
    this.counters.reassigned++;
    this.replaced.add(victim);
    this.all.delete(victim);
    victim.kill("killed_shutdown");
    const spare = this.spares.shift();
    if (spare?.alive) {
      this.enlist(spare, tenant, false); // this call's, not idle
      this.bootSpare();
      return spare;
    }
    this.bootingFor.add(tenant);
    this.spawnOne(tenant)
      .catch((err: unknown) => this.options.log?.("executor for a tenant failed to boot", { error: String(err) }))
      .finally(() => this.bootingFor.delete(tenant));
    return null;
  }

  /** The idle executor to give up for `tenant`, by the rule of reassign(); null if none. */
  private reassignable(tenant: string): ExecutorProcess | null {
    const held = new Map<string, number>();
    for (const ex of this.all) {
      const owner = this.owner.get(ex);
      if (owner !== undefined) held.set(owner, (held.get(owner) ?? 0) + 1);
    }
    const mine = held.get(tenant) ?? 0;
    let best: ExecutorProcess | null = null;
    let bestHeld = mine;
    for (const ex of this.idle) {
      // idle[0] has been idle longest: on a tie the earlier one stays the choice.
      const count = held.get(this.owner.get(ex) ?? "") ?? 0;
      if (count > bestHeld) {
        best = ex;
        bestHeld = count;
      }
    }
    return best;
  }

  private async bootOne(): Promise<ExecutorProcess> {
    this.booting++;
    try {
      const ex = await ExecutorProcess.spawn({ snapshot: this.snapshot, strategy: this.options.strategy, recycleAfterCalls: this.options.recycleAfterCalls, idleSpinMicros: this.options.idleSpinMicros });
      this.info ??= ex.info;
      if (this.closed) ex.kill("killed_shutdown");
      return ex;
    } catch (e) {
      // A cached snapshot this Pyodide build refuses: forget it; the next start makes a new one.
      if (this.snapshot && this.all.size === 0) this.options.snapshots?.discard();
      throw e;
    } finally {
      this.booting--;
    }
  }

  private async spawnOne(tenant: string | null): Promise<ExecutorProcess> {
    const ex = await this.bootOne();
    if (!this.closed) this.enlist(ex, tenant);
    return ex;
  }

  private enlist(ex: ExecutorProcess, tenant: string | null, idle = true): void {
    this.all.add(ex);
    if (tenant !== null) this.owner.set(ex, tenant);
    ex.once("exit", (e: { reason: ExitReason; hadJob: boolean }) => this.onExit(ex, e));
    // A retiring executor is replaced as soon as it says so, not when it is gone.
    ex.once("retiring", () => this.replace(ex));
    if (idle) this.give(ex);
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
    // The seat stays the tenant's: a fresh interpreter, the same owner.
    const tenant = this.owner.get(ex) ?? null;
    const spare = this.spares.shift();
    if (spare?.alive) {
      this.enlist(spare, tenant);
      this.bootSpare();
      return;
    }
    this.spawnOne(tenant).catch((err: unknown) => {
      this.options.log?.("replacement executor failed to boot", { error: String(err) });
    });
  }

  private bootSpare(): void {
    this.bootOne().then(
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
