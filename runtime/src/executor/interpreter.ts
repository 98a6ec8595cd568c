// One Pyodide interpreter that is fresh for every call: booted once, snapshotted after init, and
// put back to that snapshot (linear memory + the JS-side state around it) after each call.
import { createHash } from "node:crypto";
import type { PyodideAPI } from "pyodide";
import type { PageOverlay, ResetStats, RestoreStrategy, StrategyName } from "../restore/strategy.ts";
import { selectStrategy } from "../restore/select.ts";
import { bootInterpreter, runCellDirect, type BootedInterpreter } from "../engine/pyodide/boot.ts";
import { FsState, type EmscriptenFs, type FsDelta } from "../engine/pyodide/fs-state.ts";
import { JsState } from "../engine/pyodide/js-state.ts";
import { withDeterministicSources } from "../engine/pyodide/deterministic-boot.ts";
import { sealJsSide, type SealTargets } from "../engine/pyodide/js-seal.ts";
import { StateFingerprint, type Fingerprint } from "../engine/pyodide/fingerprint.ts";

export interface ResetReport {
  ms: number;
  memory: ResetStats;
  fsChanged: boolean;
  hiwireSlotsReset: number;
}

const WARM_UP_CELLS = [
  "print(2+2)",
  "import json\nd = {'items': [{'id': i, 'tags': ['a', 'b']} for i in range(100)]}\nlen(json.loads(json.dumps(d))['items'])",
  // Last: what the lockdown released (FFI types, C statics) is collected before the snapshot.
  "import gc\ngc.collect()",
];

/**
 * A few throwaway calls before the snapshot: the allocator and caches settle where every later
 * call will find them, so a call dirties fewer pages (spikes/FINDINGS.md: ~19% fewer). They
 * touch no file, and everything they leave is part of the baseline every call starts from.
 */
function warmUp(booted: BootedInterpreter): void {
  for (let i = 0; i < 3; i++) {
    for (const code of WARM_UP_CELLS) {
      // Also the proof that the runner works after the lockdown: a boot that cannot run a cell fails here.
      const seen = runCellDirect(booted, { code, seed: 0 });
      if (!seen.report || (JSON.parse(seen.report) as { status?: string }).status !== "ok") {
        throw new Error(`boot: warm-up cell failed: ${seen.report ?? "no report"} ${seen.stderr}`);
      }
    }
  }
}

export class Interpreter {
  readonly strategy: RestoreStrategy;
  readonly baselineBytes: number;
  /** The snapshot's linear memory (states are stored as pages that differ from it). */
  readonly baseline: Uint8Array;
  /** Hash of the snapshot: equal on every executor (deterministic boot), so states can move. */
  readonly image: string;
  private readonly jsState: JsState;
  private readonly fsState: FsState;
  /** What sealing Pyodide's JS side froze and refused. */
  readonly seal: { frozen: number; doors: string[] };
  private readonly fingerprinter: StateFingerprint;
  /** Live JS timers, once the executor counts them (executor/timers.ts). */
  liveTimers: () => number = () => 0;
  private resets = 0;

  private constructor(
    readonly booted: BootedInterpreter,
    strategy: (memory: WebAssembly.Memory, baseline: Uint8Array) => RestoreStrategy,
    readonly strategyReason: string,
  ) {
    const { pyodide, memory, stackPointer } = booted;
    const api = (pyodide as unknown as { _api: Parameters<typeof JsState.disarmFatalLatch>[0] })._api;
    JsState.disarmFatalLatch(api);
    // Everything below is the snapshot: taken last, after every init step has run.
    this.fsState = new FsState(pyodide.FS as unknown as EmscriptenFs);
    const module = (pyodide as unknown as { _module: ConstructorParameters<typeof JsState>[0] & Record<string, unknown> })._module;
    this.jsState = new JsState(module, stackPointer);
    // Last JS-side step: the objects above are what a call could have touched; from here on
    // they cannot be replaced or extended (js-seal.ts).
    const targets = sealTargets(pyodide, api, module);
    this.seal = sealJsSide(targets);
    this.fingerprinter = new StateFingerprint({
      publicApi: targets.publicApi,
      api: targets.api,
      module: module as unknown as ConstructorParameters<typeof StateFingerprint>[0]["module"],
      fs: pyodide.FS as unknown as ConstructorParameters<typeof StateFingerprint>[0]["fs"],
      interrupt: booted.interrupt,
      memory: booted.memory,
      liveTimers: () => this.liveTimers(),
    });
    const baseline = new Uint8Array(memory.buffer).slice();
    this.baseline = baseline;
    this.image = createHash("sha256").update(baseline).digest("hex").slice(0, 16);
    this.baselineBytes = baseline.length;
    this.strategy = strategy(memory, baseline);
  }

  static async create(options: { strategy?: StrategyName; snapshot?: Uint8Array } = {}): Promise<Interpreter> {
    const selection = await selectStrategy(options.strategy);
    const started = performance.now();
    // Boot and warm-up draw no real randomness or time, so every executor's snapshot is the
    // same bytes (states move between executors as page diffs against it).
    const booted = await withDeterministicSources(async () => {
      const b = await bootInterpreter({ snapshot: options.snapshot });
      warmUp(b);
      return b;
    });
    booted.bootMs = performance.now() - started;
    return new Interpreter(booted, (m, b) => selection.factory.create(m, b), selection.reason);
  }

  get pyodide(): PyodideAPI {
    return this.booted.pyodide;
  }

  get memoryBytes(): number {
    return this.booted.memory.buffer.byteLength;
  }

  /** Slots the JS reference and function tables grew past the snapshot (they never shrink). */
  get tableGrowth(): number {
    return this.jsState.growth();
  }

  get resetCount(): number {
    return this.resets;
  }

  /** The state outside linear memory, hashed (fingerprint.ts). */
  fingerprint(): Fingerprint {
    return this.fingerprinter.take();
  }

  fsDiff(): FsDelta {
    return this.fsState.diff();
  }

  /** Puts the filesystem back to the snapshot's, whatever changed it. */
  resetFs(): void {
    this.fsState.restore(true);
  }

  applyFs(delta: FsDelta): void {
    this.fsState.apply(delta);
  }

  /**
   * Everything the last call did is undone: memory, stack pointer, JS refs, files, fds, cwd.
   * `overlay`: the pages of the checkpointed state the interpreter rests in, put back in place of
   * the snapshot's (its files are the caller's: StateCache.reenter).
   */
  reset(overlay?: PageOverlay): ResetReport {
    const started = performance.now();
    const fsChanged = this.fsState.dirty;
    if (fsChanged) this.fsState.restore();
    const memory = this.strategy.reset(overlay);
    const js = this.jsState.restore();
    this.resets++;
    return { ms: performance.now() - started, memory, fsChanged, hiwireSlotsReset: js.hiwireSlotsReset };
  }
}

/** Pyodide's JS objects, as the seal sees them. */
function sealTargets(pyodide: PyodideAPI, api: object, module: Record<string, unknown>): SealTargets {
  const fs = pyodide.FS as unknown as SealTargets["fs"] & { devices: Record<string, { stream_ops?: object }> };
  const memfs = module.MEMFS as { ops_table?: object } | undefined;
  const deviceOps = Object.values(fs.devices).map((d) => d.stream_ops).filter((o): o is object => !!o);
  return {
    publicApi: pyodide,
    api,
    module,
    fs,
    opTables: [...(memfs?.ops_table ? [memfs.ops_table] : []), ...deviceOps, ...Object.values(fs.devices)],
  };
}
