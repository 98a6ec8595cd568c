// Typed loader for the optional native addon runtime/native (built by runtime/native/build.mjs).
// Without it, only the memcpy strategy is available; callers log the reason.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { addonPath } from "../addons/path.ts";

/** [startPage, endPage) pairs of 4 KiB host pages, relative to the start of the buffer. */
export type PageRanges = Uint32Array;

export interface UffdHandle {
  fd: number;
  /** Feature bits the kernel granted (UFFD_FEATURE_*). */
  features: bigint;
  /** Opened with UFFD_USER_MODE_ONLY (works without privilege even if vm.unprivileged_userfaultfd=0). */
  userModeOnly: boolean;
}

/**
 * The addon's functions. Offsets and lengths are bytes, multiples of 4096, inside `buf`
 * (always the wasm memory's current `memory.buffer`). Every function throws an Error whose
 * `code` is the errno name (e.g. "EPERM") or "ERR_ARBOR_ARG" for a bad argument.
 */
export interface NativeRestore {
  pageSize(): number;
  /** Address of the ArrayBuffer's backing store. */
  bufferAddress(buf: ArrayBuffer): bigint;
  closeFd(fd: number): void;
  /**
   * Polls a socket for input for up to spinMicros, yielding between polls, without consuming it:
   * true when input (or EOF) is there, false when the time ran out (await_input.c). Absent from
   * addons built before it; the executor then blocks at once.
   */
  awaitInput?(fd: number, spinMicros: number): boolean;
  /** dontneed: private anonymous memory reads back as zeros; populate_read: prefault page tables for reading. */
  madvise(buf: ArrayBuffer, offset: number, length: number, advice: "dontneed" | "nohugepage" | "populate_read"): void;
  /** Copy the listed pages from src into buf; pages at or past src's length are zeroed. Returns pages written. */
  copyPages(buf: ArrayBuffer, src: Uint8Array | ArrayBuffer, ranges: PageRanges): number;
  /** UFFD_FEATURE_* bits this kernel supports. */
  uffdSupportedFeatures(): bigint;
  /** A userfaultfd with WP_ASYNC + WP_UNPOPULATED: write faults are resolved by the kernel, never block. */
  uffdOpenAsyncWp(): UffdHandle;
  uffdRegisterWp(fd: number, buf: ArrayBuffer, offset: number, length: number): void;
  uffdUnregister(fd: number, buf: ArrayBuffer, offset: number, length: number): void;
  uffdWriteProtect(fd: number, buf: ArrayBuffer, offset: number, length: number, protect: boolean): void;
  /**
   * PAGEMAP_SCAN for pages written since last write-protected; `rearm` write-protects them again in
   * the same ioctl. Throws EPERM if part of the range is not registered for async WP.
   */
  scanWritten(buf: ArrayBuffer, offset: number, length: number, rearm: boolean): PageRanges;
  /** PAGEMAP_SCAN for present, private-anonymous, non-zero-page pages (copy-on-write happened). */
  scanPrivatelyModified(buf: ArrayBuffer, offset: number, length: number): PageRanges;
  /**
   * Write-protects again the written pages inside each [start, end) page range (one PAGEMAP_SCAN
   * with PM_SCAN_WP_MATCHING per range); already-protected pages are untouched. Returns pages re-protected.
   */
  rearmRanges(buf: ArrayBuffer, ranges: PageRanges): number;
  /** The pages inside `ranges` whose bytes differ from src (past src's length: not all zero). */
  diffPages(buf: ArrayBuffer, src: Uint8Array | ArrayBuffer, ranges: PageRanges): PageRanges;
  /**
   * Inflates the raw-deflate stream src into dst; returns the bytes written. Throws
   * ERR_ARBOR_INFLATE when src is not one whole stream, ERR_ARBOR_INFLATE_SIZE when it does not
   * fit in dst (state_pages.c).
   * Absent from addons built before it, like xorInto and prefault.
   */
  inflateRawInto?(src: Uint8Array, dst: Uint8Array): number;
  /** target ^= other; equal lengths. */
  xorInto?(target: Uint8Array, other: Uint8Array): void;
  /** Makes every page of bytes resident and writable in one madvise(MADV_POPULATE_WRITE); contents unchanged. */
  prefault?(bytes: Uint8Array): void;
  /** Writes raw's spans into the pages of `out`; throws ERR_ARBOR_SPANS on malformed data. Absent from addons built before it (the executor then does it in JS). */
  applySpans?(raw: Uint8Array, out: Uint8Array): void;
  /**
   * The span data of the 4 KiB pages of `now` against before[i], packed as a state carries it
   * (executor/page-spans.ts: its raw length, then raw-deflated at zlib level 1). Encoded a few
   * pages at a time straight into one deflate stream kept for the process's life: no buffer of the
   * whole raw data, and no zlib set-up per call. null as soon as the packed data would pass
   * maxBytes (the rest is not encoded or deflated). Absent like applySpans.
   */
  packPageSpans?(now: Uint8Array, before: readonly Uint8Array[], maxBytes: number): Buffer | null;
  /** A sealed memfd holding bytes (length a multiple of 4096). */
  memfdFromBytes(name: string, bytes: Uint8Array | ArrayBuffer): number;
  /** mmap(MAP_PRIVATE | MAP_FIXED) the file over buf[offset, offset+length), file offset = offset. */
  mapPrivateFixed(fd: number, buf: ArrayBuffer, offset: number, length: number): void;
  /**
   * Moves buf[offset, offset+length) onto a memfd mapped MAP_SHARED at the same address (same
   * bytes) and returns a second mapping of it: writes through that one change the same memory
   * without touching the first mapping's write-protect bits. Absent from addons built before it.
   */
  shareWithAlias?(buf: ArrayBuffer, offset: number, length: number): ArrayBuffer;
}

export type NativeLoad = { addon: NativeRestore; reason?: undefined } | { addon: null; reason: string };

export const ADDON_PATH = addonPath("arbor_restore");

export const UFFD_FEATURE_WP_UNPOPULATED = 1n << 13n;
export const UFFD_FEATURE_WP_ASYNC = 1n << 15n;

let cached: NativeLoad | undefined;

/** Load the addon once; never throws. */
export function loadNative(): NativeLoad {
  cached ??= tryLoad();
  return cached;
}

function tryLoad(): NativeLoad {
  if (process.platform !== "linux") return { addon: null, reason: `native restore addon is Linux-only (platform ${process.platform})` };
  if (!existsSync(ADDON_PATH)) return { addon: null, reason: `native addon not built (${ADDON_PATH} missing; run node runtime/native/build.mjs)` };
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeRestore;
    const missing = (["scanWritten", "rearmRanges", "diffPages"] as const).filter((f) => typeof addon[f] !== "function");
    if (missing.length > 0) return { addon: null, reason: `${ADDON_PATH} is stale: ${missing.join(", ")} missing; rebuild it (node runtime/native/build.mjs)` };
    return { addon };
  } catch (e) {
    return { addon: null, reason: `native addon failed to load: ${errorText(e)}` };
  }
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    return typeof code === "string" && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}

/** Expand [start, end) pairs into a list of page indices. */
export function expandRanges(ranges: PageRanges): Uint32Array {
  let n = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) n += ranges[i + 1]! - ranges[i]!;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) for (let p = ranges[i]!; p < ranges[i + 1]!; p++) out[k++] = p;
  return out;
}

/** Number of pages covered by [start, end) pairs, and how many of them lie at or past `fromPage`. */
export function countPages(ranges: PageRanges, fromPage: number): { total: number; atOrPast: number } {
  let total = 0;
  let atOrPast = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const s = ranges[i]!;
    const e = ranges[i + 1]!;
    total += e - s;
    atOrPast += Math.max(0, e - Math.max(s, fromPage));
  }
  return { total, atOrPast };
}

/** Baselines are whole host pages and no longer than the memory they restore. */
export function assertBaselineFits(memory: WebAssembly.Memory, baseline: Uint8Array, pageSize: number): void {
  const len = memory.buffer.byteLength;
  if (baseline.length === 0 || baseline.length % pageSize !== 0) {
    throw new RangeError(`baseline length ${baseline.length} must be a non-zero multiple of ${pageSize}`);
  }
  if (baseline.length > len) throw new RangeError(`baseline (${baseline.length} B) is longer than the memory (${len} B)`);
  if (baseline.buffer === memory.buffer) throw new RangeError("baseline must be a copy, not a view of the memory itself");
}
