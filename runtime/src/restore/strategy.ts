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
 * overlay must already be in memory when the call starts (StateCache.enter puts it there with
 * writeClean): a strategy that tracks writes puts back only the overlay pages the call wrote.
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
   * Between calls, writes `bytesOf(page)` to each of `pages` (sorted host-page indices, all inside
   * memory) so that the bytes count as clean: they are not reported as written, and the next reset
   * leaves them alone unless the next call writes them again. This is how a checkpointed state is
   * entered (StateCache.enter); the caller passes the same pages in the overlay of later resets.
   * A strategy whose reset restores everything just writes them; the dirty strategy writes them
   * without setting off or re-arming its write traps where it can.
   */
  writeClean(pages: Uint32Array, bytesOf: (page: number) => Uint8Array): void;
  /**
   * What the strategy runs with beyond its name, for /healthz and the startup log (dirty: whether
   * states are entered through its untracked view, and if not, why). Undefined: nothing to add.
   */
  detail?(): string;
  dispose(): void;
}

/**
 * Writes `bytesOf(page)` at each page of `view` (the wasm memory, or a view of it): all of
 * writeClean for strategies whose reset restores every page, and the byte work of the others'.
 */
export function writePages(view: Uint8Array, pages: Uint32Array, bytesOf: (page: number) => Uint8Array): void {
  for (const page of pages) view.set(bytesOf(page), page * HOST_PAGE);
}

export type Probe = { ok: true; detail: string } | { ok: false; reason: string };

export interface StrategyFactory {
  readonly name: StrategyName;
  /** Can this process use the strategy (kernel features, native addon built)? Never throws. */
  probe(): Probe;
  create(memory: WebAssembly.Memory, baseline: Uint8Array): RestoreStrategy;
}
