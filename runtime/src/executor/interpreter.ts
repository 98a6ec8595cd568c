// One interpreter that is fresh for every call: an engine booted once, its linear memory
// snapshotted after init and put back after each call by a restore strategy, and everything
// outside linear memory put back by the engine itself. Engine-agnostic (engine/engine.ts).
import { createHash } from "node:crypto";
import type { CellJob, CellObservation, Engine, Fingerprint } from "../engine/engine.ts";
import { engineFactory } from "../engine/engines.ts";
import type { PageOverlay, ResetStats, RestoreStrategy, StrategyName } from "../restore/strategy.ts";
import { selectStrategy } from "../restore/select.ts";

export interface ResetReport {
  ms: number;
  memory: ResetStats;
  filesChanged: boolean;
}

export class Interpreter {
  readonly strategy: RestoreStrategy;
  readonly baselineBytes: number;
  /** The snapshot's linear memory (states are stored as pages that differ from it). */
  readonly baseline: Uint8Array;
  /** Hash of the snapshot: equal on every executor (deterministic boot), so states can move. */
  readonly image: string;
  private resets = 0;

  private constructor(
    readonly engine: Engine,
    strategy: (memory: WebAssembly.Memory, baseline: Uint8Array) => RestoreStrategy,
    readonly strategyReason: string,
  ) {
    // The engine is booted, locked down and warmed up: its memory now is the snapshot.
    const baseline = new Uint8Array(engine.memory.buffer).slice();
    this.baseline = baseline;
    this.image = createHash("sha256").update(baseline).digest("hex").slice(0, 16);
    this.baselineBytes = baseline.length;
    this.strategy = strategy(engine.memory, baseline);
  }

  static async create(options: { strategy?: StrategyName; snapshot?: Uint8Array; engine?: string } = {}): Promise<Interpreter> {
    const selection = await selectStrategy(options.strategy);
    const engine = await engineFactory(options.engine).create({ snapshot: options.snapshot });
    return new Interpreter(engine, (m, b) => selection.factory.create(m, b), selection.reason);
  }

  get memoryBytes(): number {
    return this.engine.memory.buffer.byteLength;
  }

  /** Slots of tables outside linear memory grown past the snapshot (they never shrink). */
  get tableGrowth(): number {
    return this.engine.tableGrowth;
  }

  get resetCount(): number {
    return this.resets;
  }

  fingerprint(): Fingerprint {
    return this.engine.fingerprint();
  }

  /** Runs one cell with no limit but the output cap (boot checks, recovery canary, benchmarks). */
  runCellNow(job: CellJob, maxOutputBytes = 1 << 20): CellObservation {
    const run = this.engine.startCell(job, maxOutputBytes);
    try {
      run();
    } catch (e) {
      this.engine.endCell(); // the call's channels close whatever happened
      throw e;
    }
    return this.engine.endCell();
  }

  /**
   * Everything the last call did is undone: linear memory, then what lies outside it (files,
   * fds, JS references, tables, counters). `overlay`: the pages of the checkpointed state the
   * interpreter rests in, put back in place of the snapshot's (its files are the caller's:
   * StateCache.reenter).
   */
  reset(overlay?: PageOverlay): ResetReport {
    const started = performance.now();
    const memory = this.strategy.reset(overlay);
    const { filesChanged } = this.engine.resetOutsideMemory();
    this.resets++;
    return { ms: performance.now() - started, memory, filesChanged };
  }
}
