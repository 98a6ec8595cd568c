// One interface for every way of putting a wasm linear memory back to its post-init baseline.
// The executor picks the best strategy the kernel allows at start (dirty → cow → memcpy) and logs
// which one and why. Strategies only know about a WebAssembly.Memory and baseline bytes: nothing
// of Pyodide (the state outside memory is restored by the engine, runtime/src/engine/).

export { WASM_PAGE } from "../wasm-page.ts";
/** Host page size used for dirty tracking (x86-64 Linux). */
export const HOST_PAGE = 4096;

export type StrategyName = "dirty" | "cow" | "memcpy";

export interface ResetStats {
  /** Host pages (4 KiB) copied or remapped back to the baseline. */
  pagesRestored: number;
  /** Bytes past the baseline length (memory grown by the last call) that were zeroed or released. */
  grownBytesCleared: number;
  /**
   * Pages left writable and copied back at every reset without tracking ("hot" pages, dirty
   * strategy only); they are included in pagesRestored.
   */
  hotPages?: number;
}

/**
 * Pages to put back instead of the baseline's: the checkpointed state the interpreter rests in
 * between calls (host-page index → 4 KiB of bytes). They count as clean for the next call. The
 * overlay must already be in memory when the call starts (StateCache.enter writes it and marks it
 * clean): a strategy that tracks writes puts back only the overlay pages the call wrote.
 */
export type PageOverlay = ReadonlyMap<number, Uint8Array>;

export interface RestoreStrategy {
  readonly name: StrategyName;
  /**
   * Make memory[0, baseline.length) byte-identical to the baseline, and memory past it all zero
   * (a wasm memory cannot shrink), except the overlay's pages, which get the overlay's bytes.
   * Re-arms tracking for the next call.
   */
  reset(overlay?: PageOverlay): ResetStats;
  /**
   * Host-page indices written since the last reset, without re-arming; null when the strategy
   * cannot tell (memcpy). Used to store checkpoints as page diffs.
   */
  writtenPages(): Uint32Array | null;
  /** Host-page indices currently treated as hot (never write-protected, copied at every reset). */
  hotPages?(): Uint32Array;
  /**
   * Only for strategies whose reset restores no more than the written pages: the caller has just
   * written these pages (a checkpointed state put back after a reset) and their bytes are what
   * the interpreter must keep between calls; they are no longer reported as written, so the
   * next reset leaves them alone unless the next call writes them again.
   */
  markClean?(pages: Uint32Array): void;
  /**
   * Only with markClean: the caller is about to write these pages (sorted) between calls, then
   * call markClean with the same list. A strategy that traps first writes may lift the traps on
   * spans covering them now (a few calls instead of one fault per page).
   */
  openForWrite?(pages: Uint32Array): void;
  /**
   * A view of memory[0, view.length) whose writes the strategy does not see: bytes written through
   * it between calls count as clean, like pages written and then passed to markClean, without
   * lifting or setting any write trap (dirty: a second mapping of the same pages). Pages past its
   * end still go through openForWrite / markClean. Undefined when the strategy has none.
   */
  untrackedView?(): Uint8Array | undefined;
  dispose(): void;
}

export type Probe = { ok: true; detail: string } | { ok: false; reason: string };

export interface StrategyFactory {
  readonly name: StrategyName;
  /** Can this process use the strategy (kernel features, native addon built)? Never throws. */
  probe(): Probe;
  create(memory: WebAssembly.Memory, baseline: Uint8Array): RestoreStrategy;
}
