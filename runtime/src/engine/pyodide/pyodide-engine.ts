// Pyodide as an Engine (engine/engine.ts): boot (boot.ts), warm-up, then the snapshot-time
// records of everything outside linear memory (files, JS references, counters), the seal of its
// JS side, and the fingerprint over all of it.
import { posix } from "node:path";
import type { PyodideAPI } from "pyodide";
import type { CellJob, CellObservation, Engine, EngineFiles, Fingerprint } from "../engine.ts";
import type { FsDelta } from "../../protocol/messages.ts";
import { bootInterpreter, encodeCell, makePyodideSnapshot, runBootCell, WORKSPACE, type BootedInterpreter } from "./boot.ts";
import { withDeterministicSources } from "./deterministic-boot.ts";
import { installEntropyPool } from "./entropy-pool.ts";
import { StateFingerprint } from "./fingerprint.ts";
import { FsState, type EmscriptenFs } from "./fs-state.ts";
import { sealJsSide, type SealTargets } from "./js-seal.ts";
import { InterpreterTrap, JsState } from "./js-state.ts";
import { heapStats, settleHeap, type HeapModule, type SettleReport } from "./heap-settle.ts";
import { REMOVED_BUILTINS } from "./lockdown.ts";
import { WASM_PAGE } from "../../wasm-page.ts";

const WARM_UP_CELLS = [
  "print(2+2)",
  "import json\nd = {'items': [{'id': i, 'tags': ['a', 'b']} for i in range(100)]}\nlen(json.loads(json.dumps(d))['items'])",
  // Last: what the lockdown released (FFI types, C statics) is collected before the snapshot.
  "import gc\ngc.collect()",
];

type PyodideModule = ConstructorParameters<typeof JsState>[0] & Record<string, unknown>;

export class PyodideEngine implements Engine {
  readonly info: { name: string; version: string };
  readonly files: EngineFiles;
  liveTimers: () => number = () => 0;
  private readonly jsState: JsState;
  private readonly fsState: FsState;
  private readonly fingerprinter: StateFingerprint;
  private readonly sealed: { frozen: number; doors: string[] };

  private constructor(
    private readonly booted: BootedInterpreter,
    /** What settling the heap did (heap-settle.ts): free chunks and bytes before and after. */
    readonly heap: SettleReport,
  ) {
    const { pyodide, stackPointer } = booted;
    const api = (pyodide as unknown as { _api: Parameters<typeof JsState.disarmFatalLatch>[0] })._api;
    JsState.disarmFatalLatch(api);
    const module = (pyodide as unknown as { _module: PyodideModule })._module;
    // Everything below records the snapshot: taken last, after every init step has run.
    this.fsState = new FsState(pyodide.FS as unknown as EmscriptenFs);
    this.jsState = new JsState(module, stackPointer);
    // Last JS-side step: the objects above are what a call could have touched; from here on
    // they cannot be replaced or extended (js-seal.ts).
    const targets = sealTargets(pyodide, api, module);
    this.sealed = sealJsSide(targets);
    this.fingerprinter = new StateFingerprint({
      publicApi: targets.publicApi,
      api: targets.api,
      module: module as unknown as ConstructorParameters<typeof StateFingerprint>[0]["module"],
      fs: pyodide.FS as unknown as ConstructorParameters<typeof StateFingerprint>[0]["fs"],
      interrupt: booted.interrupt,
      memory: booted.memory,
      liveTimers: () => this.liveTimers(),
    });
    this.info = { name: "pyodide", version: pyodide.version };
    this.files = pyodideFiles(pyodide, this.fsState);
  }

  /**
   * Boots Pyodide (from its memory snapshot when given one), locks it down and warms it up.
   * Boot and warm-up draw no real randomness or time, so every engine booted the same way
   * reaches the same bytes (states move between executors as page diffs against them).
   */
  static async create(options: { snapshot?: Uint8Array; /** false: skip heap-settle.ts (spikes measure without it). */ settle?: boolean } = {}): Promise<PyodideEngine> {
    const started = performance.now();
    const { booted, heap } = await withDeterministicSources(async () => {
      const b = await bootInterpreter({ snapshot: options.snapshot });
      warmUp(b);
      // Last, after every cell boot runs: what the snapshot holds is what calls start from.
      const module = (b.pyodide as unknown as { _module: HeapModule })._module;
      return { booted: b, heap: options.settle === false ? unsettled(module, b.memory) : settleHeap(b, module) };
    });
    // The real random source is back; calls draw it through a pool (entropy-pool.ts).
    installEntropyPool();
    booted.bootMs = performance.now() - started;
    return new PyodideEngine(booted, heap);
  }

  /** The Pyodide memory snapshot every executor boots from (see host/snapshot-store.ts). */
  static makeSnapshot(): Promise<Uint8Array> {
    return withDeterministicSources(makePyodideSnapshot);
  }

  get memory(): WebAssembly.Memory {
    return this.booted.memory;
  }

  get interrupt(): Int32Array {
    return this.booted.interrupt;
  }

  get hostTransport() {
    return this.booted.hostTransport;
  }

  get bootMs(): number {
    return this.booted.bootMs;
  }

  get lockdown(): Record<string, number | string | string[]> {
    const l = this.booted.ffiLockdown;
    return {
      stdlib_entries_removed: l.zipEntriesDropped,
      proxies_destroyed: l.proxiesDestroyed,
      statics_released: l.staticsReleased,
      statics_kept: l.staticsKept,
      imports_replaced: this.booted.gate.replaced,
      builtins_removed: [...REMOVED_BUILTINS, "_pyodide_core"],
      objects_frozen: this.sealed.frozen,
      doors_refused: this.sealed.doors,
    };
  }

  /** Pyodide's public API object (in-process tests and benchmarks only). */
  get pyodide(): PyodideAPI {
    return this.booted.pyodide;
  }

  get refusedJsProxies(): number {
    return this.booted.gate.refusedJsProxies;
  }

  beginCall(memoryBytes: number): void {
    this.booted.memoryCap.beginCall(memoryBytes);
  }

  get memoryRefusedAt(): number | null {
    return this.booted.memoryCap.refusedAt;
  }

  startCell(job: CellJob, maxOutputBytes: number): () => void {
    this.booted.calls.begin(encodeCell(job), Buffer.from(job.stdin ?? "", "utf8"), maxOutputBytes);
    return this.booted.runCell;
  }

  endCell(): CellObservation {
    return this.booted.calls.end();
  }

  isTrap(thrown: unknown): boolean {
    return thrown instanceof InterpreterTrap;
  }

  describeTrap(thrown: unknown): string {
    const cause = thrown instanceof InterpreterTrap ? thrown.cause : thrown;
    return `interpreter trap: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`;
  }

  resetOutsideMemory(): { filesChanged: boolean } {
    const filesChanged = this.fsState.dirty;
    if (filesChanged) this.fsState.restore();
    this.jsState.restore();
    return { filesChanged };
  }

  repairAfterStop(): void {
    this.booted.memoryCap.refreshViews();
  }

  growMemory(bytes: number): void {
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing <= 0) return;
    this.memory.grow(Math.ceil(missing / WASM_PAGE));
    // Emscripten's typed-array views still cover the old buffer: without this the next cell's
    // runner cannot read its job ("the runner stopped before reporting its outcome").
    this.booted.memoryCap.refreshViews();
  }

  fingerprint(): Fingerprint {
    return this.fingerprinter.take();
  }

  get tableGrowth(): number {
    return this.jsState.growth();
  }
}

/**
 * A few throwaway calls before the snapshot: the allocator and caches settle where every later
 * call will find them, so a call dirties fewer pages (spikes/FINDINGS.md: ~19% fewer). They
 * touch no file, and everything they leave is part of the baseline every call starts from. Also
 * the proof that the runner works after the lockdown: a boot that cannot run a cell fails here.
 */
function warmUp(booted: BootedInterpreter): void {
  for (let i = 0; i < 3; i++) {
    for (const code of WARM_UP_CELLS) runBootCell(booted, code, "warm-up");
  }
}

function unsettled(module: HeapModule, memory: WebAssembly.Memory): SettleReport {
  const stats = heapStats(module, memory);
  return { before: stats, after: stats, fillers: 0, fillerBytes: 0 };
}

/** The sandbox's in-memory filesystem, as the executor sees it. */
function pyodideFiles(pyodide: PyodideAPI, state: FsState): EngineFiles {
  const FS = pyodide.FS;
  return {
    workspace: WORKSPACE,
    write(path: string, bytes: Uint8Array) {
      FS.mkdirTree(posix.dirname(path));
      FS.writeFile(path, bytes);
    },
    list(dir: string) {
      const out: Array<{ path: string; bytes: Uint8Array }> = [];
      const walk = (d: string) => {
        for (const name of FS.readdir(d)) {
          if (name === "." || name === "..") continue;
          const path = `${d}/${name}`;
          const st = FS.lstat(path);
          if (FS.isDir(st.mode)) walk(path);
          else if (FS.isFile(st.mode)) out.push({ path, bytes: FS.readFile(path) });
        }
      };
      walk(dir);
      return out;
    },
    diff: (): FsDelta => state.diff(),
    apply: (delta: FsDelta) => state.apply(delta),
    reset: () => void state.restore(true),
  };
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
