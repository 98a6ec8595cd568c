// "dirty" strategy: userfaultfd async write-protect + PAGEMAP_SCAN (Linux >= 6.7).
// The kernel clears a page's WP bit on its first write without stopping the thread; PAGEMAP_SCAN
// lists the pages whose bit is clear. A reset copies only those pages back from the baseline.
//
// Hot pages: each first write to a protected page is an async WP fault (1 µs on bare metal, ~28 µs
// in this VM, whose page tables the hypervisor shadows), and since every call starts from the same
// state, a call writes mostly the same pages as the one before (~190 for print(2+2) once the heap
// is settled, see spikes/FINDINGS.md). A page written in `promoteAfter` calls, each within
// `promoteWindow` resets of the last, becomes "hot": after the reset copies it back, it is simply
// not write-protected again.
// Correctness needs no extra bookkeeping: an unprotected page always reads as "written" to
// PAGEMAP_SCAN, so the next reset's scan lists it and copies it back like any other written page.
// Every `auditEvery` resets, hot pages still equal to the baseline before the copy (not changed by
// the last call) are demoted: protected again, on probation (written again within `promoteWindow`
// resets, they are promoted again at once: one fault per page per audit). The hot set never exceeds `maxHotPages`.
// A page a call writes back with the snapshot's bytes looks unwritten to the audit: on fork
// branches ~100 such pages were demoted at every audit and faulted in again by the next call
// (spikes/18-first-requests). A page that comes back that way is audited again only 2 audits
// later, then 4, ... up to 64; and an audit protects its pages in at most 8 spans, like every
// re-protect.
import { HOST_PAGE, writePages, type PageOverlay, type Probe, type ResetStats, type RestoreStrategy, type StrategyFactory } from "./strategy.ts";
import {
  assertBaselineFits,
  countPages,
  errorText,
  expandRanges,
  loadNative,
  type NativeRestore,
  UFFD_FEATURE_WP_ASYNC,
  UFFD_FEATURE_WP_UNPOPULATED,
} from "./native.ts";

export interface DirtyOptions {
  /** Learn and keep hot pages (default true). false: every written page is re-protected at every reset. */
  hot?: boolean;
  /** A page written in this many calls, each within `promoteWindow` resets of the last, becomes hot. */
  promoteAfter?: number;
  /**
   * How many resets apart two writes of a cold page may be and still count toward `promoteAfter`
   * (1 = consecutive calls only). A window lets pages that realistic calls write often, but not
   * in every call, become hot, while a one-off large call (making a state) promotes nothing.
   */
  promoteWindow?: number;
  /** Upper bound on the hot set, in 4 KiB pages (default 8192 = 32 MiB copied per reset at most). */
  maxHotPages?: number;
  /** Every this many resets, demote hot pages the last call left equal to the baseline (default 256; 0 = never). */
  auditEvery?: number;
  /**
   * Offer untrackedView(): the baseline's part of memory moves onto a memfd mapped twice, and
   * pages written through the second mapping leave the write traps alone (default true).
   */
  alias?: boolean;
}

// Tuned on the workload corpus (spikes/10-realistic-restore): where the wasm memory's page
// tables are shadowed by the hypervisor (this Firecracker/PVM VM), a write fault costs ~28 µs and
// copying a page back ~0.26 µs, so a page is worth keeping hot if even 1 call in 100 writes it.
// Promote at the second write within 64 resets, keep up to 32 MiB hot, and demote rarely:
// realistic calls then take 9.0 ms (exec + restore, p50) against 11.7 ms with (3, 2048, 64,
// consecutive) and 15.4 ms without hot pages. Promoting at the first write was as fast on
// realistic calls, but a one-off large call (making a state) left thousands of hot pages that
// every fork branch then copied back: 1,235–1,646 forks/s at K = 256 against 1,683–2,299.
const DEFAULTS: Required<DirtyOptions> = { hot: true, promoteAfter: 2, promoteWindow: 64, maxHotPages: 8192, auditEvery: 256, alias: true };

/**
 * Re-protecting costs one PAGEMAP_SCAN ioctl per span, whatever its length, and each one flushes
 * the TLB: past this many spans, the gaps with the fewest hot pages are closed instead (their hot
 * pages protected again). A realistic call writes a few hundred scattered pages; re-protecting
 * them exactly took up to 200 ioctls (150–560 ms under load, spikes/10-realistic-restore).
 */
const MAX_REARM_SPANS = 8;

/** A page that keeps coming back right after its audits skips at most 2^6 = 64 audits. */
const MAX_EXEMPT_LEVEL = 6;

export class DirtyPageStrategy implements RestoreStrategy {
  readonly name = "dirty" as const;
  readonly #addon: NativeRestore;
  readonly #memory: WebAssembly.Memory;
  readonly #baseline: Uint8Array;
  readonly #baselinePages: number;
  readonly #address: bigint;
  readonly #options: Required<DirtyOptions>;
  #uffd: number;
  /** memory[0, baseline length) through a second mapping: writes there set off no write trap. */
  #alias: Uint8Array | undefined;
  #aliasDetail = "";
  /** Bytes from the start of memory registered for async WP; memory grown past this is untracked. */
  #tracked: number;
  #resets = 0;
  /** Per tracked page: 1 when hot (left writable, copied back at every reset). */
  #isHot: Uint8Array;
  /** hotBefore[p] = number of hot pages below p (valid when rebuilt after the hot set changed). */
  #hotBefore: Uint32Array;
  /** Hot pages as [start, end) pairs. */
  #hotRanges: Uint32Array = new Uint32Array(0);
  #hotCount = 0;
  /**
   * Per tracked page: the reset that last saw it written while cold, and how many writes in a
   * row were each within `promoteWindow` resets of the one before.
   */
  #lastWritten: Uint32Array;
  #streak: Uint8Array;
  /** Per tracked page: the reset at which an audit demoted it (0: not since its last promotion). */
  #auditDemotedAt: Uint32Array;
  /** Per tracked page: audits are skipped for it until this audit number (#auditNumber). */
  #exemptUntil: Uint32Array;
  /** Per tracked page: log2 of its next exemption (grows each time it comes back after an audit). */
  #exemptLevel: Uint8Array;

  constructor(addon: NativeRestore, memory: WebAssembly.Memory, baseline: Uint8Array, options: DirtyOptions = {}) {
    assertBaselineFits(memory, baseline, HOST_PAGE);
    this.#addon = addon;
    this.#memory = memory;
    this.#baseline = baseline;
    this.#baselinePages = baseline.length / HOST_PAGE;
    this.#options = { ...DEFAULTS, ...options };
    if (!(this.#options.promoteAfter >= 1 && this.#options.promoteAfter <= 255)) throw new RangeError("promoteAfter must be in 1..255");
    const { promoteWindow } = this.#options;
    if (!(Number.isInteger(promoteWindow) && promoteWindow >= 1)) throw new RangeError("promoteWindow must be an integer >= 1");
    const buf = memory.buffer;
    this.#address = addon.bufferAddress(buf);
    // Start from a known state once (full copy); from then on only written pages are copied.
    new Uint8Array(buf).set(baseline);
    if (buf.byteLength > baseline.length) addon.madvise(buf, baseline.length, buf.byteLength - baseline.length, "dontneed");
    // Before arming: entering a state then writes its pages through the alias instead of lifting
    // and setting traps on their spans (964 pages in 117 runs: ~6–8 ms → ~0.2 ms in process,
    // spikes/20-entry-alias). Calls pay the same per fault on the shared pages. An addon or
    // kernel without it leaves the traps path, which is exact, only slower.
    if (!this.#options.alias) this.#aliasDetail = "no untracked view (alias: false)";
    else if (!addon.shareWithAlias) this.#aliasDetail = "no untracked view (the addon was built without shareWithAlias)";
    else {
      try {
        this.#alias = new Uint8Array(addon.shareWithAlias(buf, 0, baseline.length));
        this.#aliasDetail = "states entered through an untracked view";
      } catch (e) {
        this.#alias = undefined;
        this.#aliasDetail = `no untracked view (shareWithAlias failed: ${errorText(e)}); states entered by lifting write traps`;
      }
    }
    this.#uffd = addon.uffdOpenAsyncWp().fd;
    try {
      this.#arm(buf, 0, buf.byteLength);
    } catch (e) {
      addon.closeFd(this.#uffd);
      throw e;
    }
    this.#tracked = buf.byteLength;
    const pages = this.#tracked / HOST_PAGE;
    this.#isHot = new Uint8Array(pages);
    this.#hotBefore = new Uint32Array(pages + 1);
    this.#lastWritten = new Uint32Array(pages);
    this.#streak = new Uint8Array(pages);
    this.#auditDemotedAt = new Uint32Array(pages);
    this.#exemptUntil = new Uint32Array(pages);
    this.#exemptLevel = new Uint8Array(pages);
  }

  reset(overlay?: PageOverlay): ResetStats {
    const buf = this.#currentBuffer();
    const reset = ++this.#resets;
    // Lists every written page, hot ones included (they are never write-protected).
    const written = this.#addon.scanWritten(buf, 0, this.#tracked, false);
    const demote = this.#auditDue(reset) ? this.#unchangedHotPages(buf, reset) : null;
    // Copy before re-protecting: the copy writes the pages, and they are already writable, so it
    // costs no faults; re-arming afterwards leaves them protected and clean. The overlay's pages
    // the call did not write still hold the overlay's bytes.
    this.#addon.copyPages(buf, this.#baseline, written);
    if (overlay) putBack(buf, overlay, written);
    const rearm = this.#options.hot ? this.#fewerSpans(this.#coldSpans(written, reset), reset) : hull(written);
    if (rearm.length > 0) this.#addon.rearmRanges(buf, rearm);
    if (demote && demote.length > 0) {
      this.#addon.rearmRanges(buf, this.#auditSpans(demote));
      const probation = this.#options.promoteAfter - 1;
      for (let i = 0; i < demote.length; i += 2) {
        this.#isHot.fill(0, demote[i]!, demote[i + 1]!);
        // On probation: written again within promoteWindow resets (e.g. a page written back with
        // the same bytes, which the audit cannot tell from an unwritten one), it is promoted at once.
        this.#lastWritten.fill(reset, demote[i]!, demote[i + 1]!);
        this.#streak.fill(probation, demote[i]!, demote[i + 1]!);
        this.#auditDemotedAt.fill(reset, demote[i]!, demote[i + 1]!);
      }
      this.#hotSetChanged();
    }
    const counts = countPages(written, this.#baselinePages);
    let grownBytesCleared = counts.atOrPast * HOST_PAGE;
    const untracked = buf.byteLength - this.#tracked;
    if (untracked > 0) {
      // Grown during the last call: nothing recorded which pages were written, so release them all
      // (private anonymous memory reads back as zeros), then track them from now on.
      this.#addon.madvise(buf, this.#tracked, untracked, "dontneed");
      this.#arm(buf, this.#tracked, untracked);
      // Overlay pages out there are written after arming: they read as written, so the next
      // reset puts them back again (correct, if not free; memory rarely grows under a state).
      if (overlay) putBack(buf, overlay, Uint32Array.of(this.#tracked / HOST_PAGE, buf.byteLength / HOST_PAGE));
      this.#tracked = buf.byteLength;
      this.#growTables();
      grownBytesCleared += untracked;
    }
    return { pagesRestored: counts.total - counts.atOrPast, grownBytesCleared, hotPages: this.#hotCount };
  }

  /**
   * Pages written since the last reset. Hot pages are included (they are not tracked, so a hot
   * page the call did not write is reported too), except those a markClean protected again
   * until they are written: a superset, never missing a written page.
   */
  writtenPages(): Uint32Array {
    const buf = this.#currentBuffer();
    const tracked = expandRanges(this.#addon.scanWritten(buf, 0, this.#tracked, false));
    if (buf.byteLength === this.#tracked) return tracked;
    // Grown, untracked memory was never touched before this call, so its modified pages are exactly
    // the ones present as private copies (reads map the shared zero page).
    const grown = expandRanges(this.#addon.scanPrivatelyModified(buf, this.#tracked, buf.byteLength - this.#tracked));
    const all = new Uint32Array(tracked.length + grown.length);
    all.set(tracked);
    all.set(grown, tracked.length);
    return all;
  }

  /**
   * Pages below the untracked view's end are written through it: no trap is lifted or set
   * (spikes/20-entry-alias). The rest (memory grown past it, or every page without the view)
   * have their traps lifted in a few spans first, a few calls instead of one fault per page
   * (~17 µs each here: 1,000 pages took 17 ms, spikes/15-fork-warm-up), then set again.
   */
  writeClean(pages: Uint32Array, bytesOf: (page: number) => Uint8Array): void {
    const direct = this.#alias;
    const firstTracked = direct ? direct.length / HOST_PAGE : 0;
    const found = pages.findIndex((page) => page >= firstTracked);
    const split = found < 0 ? pages.length : found;
    if (direct) writePages(direct, pages.subarray(0, split), bytesOf);
    const tracked = pages.subarray(split);
    if (tracked.length === 0) return;
    this.openForWrite(tracked);
    writePages(new Uint8Array(this.#currentBuffer()), tracked, bytesOf);
    this.markClean(tracked);
  }

  /**
   * The caller is about to write these pages (sorted) between calls, then call markClean with the
   * same list: the traps on spans covering them are lifted now. Public for the tests; writeClean
   * is the one caller.
   */
  openForWrite(pages: Uint32Array): void {
    const buf = this.#currentBuffer();
    const spans = fewSpans(pages, this.#tracked / HOST_PAGE, MAX_REARM_SPANS);
    for (let i = 0; i < spans.length; i += 2) {
      this.#addon.uffdWriteProtect(this.#uffd, buf, spans[i]! * HOST_PAGE, (spans[i + 1]! - spans[i]!) * HOST_PAGE, false);
    }
  }

  /** The pages just written (after openForWrite) are what the interpreter keeps: no longer written. */
  markClean(pages: Uint32Array): void {
    // The spans openForWrite opened (gap pages included: they were not written, so protecting
    // them again is exact). A hot page inside them is protected too: one fault if written again.
    const spans = fewSpans(pages, this.#tracked / HOST_PAGE, MAX_REARM_SPANS);
    if (spans.length > 0) this.#addon.rearmRanges(this.#currentBuffer(), spans);
  }

  /**
   * A view of memory[0, view.length) whose writes this strategy does not see (a second mapping of
   * the same pages); undefined without the alias. Public for the tests; writeClean writes through it.
   */
  untrackedView(): Uint8Array | undefined {
    return this.#alias;
  }

  detail(): string {
    return this.#aliasDetail;
  }

  hotPages(): Uint32Array {
    return expandRanges(this.#hotRanges);
  }

  dispose(): void {
    if (this.#uffd < 0) return;
    this.#alias = undefined; // unmapped when collected; the memory keeps its bytes either way
    // Closing the userfaultfd unregisters every range; leftover WP bits are then ignored by the kernel.
    this.#addon.closeFd(this.#uffd);
    this.#uffd = -1;
  }

  /**
   * Updates the write streaks of the cold written pages, promotes those written `promoteAfter`
   * times, each within `promoteWindow` resets of the last, and returns the spans to re-protect:
   * [start, end) pairs covering every cold written page and no hot page (adjacent cold pages with
   * no hot page between share one span).
   */
  #coldSpans(written: Uint32Array, reset: number): Uint32Array {
    const { promoteAfter, promoteWindow, maxHotPages } = this.#options;
    const isHot = this.#isHot;
    const hotBefore = this.#hotBefore;
    const lastWritten = this.#lastWritten;
    const streak = this.#streak;
    const spans: number[] = [];
    let open = false;
    let spanEnd = 0;
    let promoted = false;
    for (let i = 0; i + 1 < written.length; i += 2) {
      const end = written[i + 1]!;
      for (let p = written[i]!; p < end; p++) {
        if (isHot[p]) continue;
        const last = lastWritten[p]!;
        const run = last > 0 && reset - last <= promoteWindow ? Math.min(streak[p]! + 1, 255) : 1;
        lastWritten[p] = reset;
        streak[p] = run;
        if (run >= promoteAfter && this.#hotCount < maxHotPages) {
          isHot[p] = 1; // stays writable from now on
          this.#hotCount++;
          this.#cameBack(p, reset);
          promoted = true;
          if (open) spans.push(spanEnd);
          open = false;
          continue;
        }
        // Extend the open span when nothing hot lies between its end and p (hotBefore is stale only
        // for pages promoted in this loop, and promoting closes the span).
        if (open && hotBefore[p] === hotBefore[spanEnd]) {
          spanEnd = p + 1;
          continue;
        }
        if (open) spans.push(spanEnd);
        spans.push(p);
        spanEnd = p + 1;
        open = true;
      }
    }
    if (open) spans.push(spanEnd);
    if (promoted) this.#hotSetChanged();
    return Uint32Array.from(spans);
  }

  /**
   * At most MAX_REARM_SPANS spans: closes the gaps between cold spans that hold the fewest hot
   * pages. The hot pages inside a closed gap are protected again, so they stop being hot (on
   * probation: written again within `promoteWindow` resets, they are promoted at once).
   */
  #fewerSpans(spans: Uint32Array, reset: number): Uint32Array {
    const count = spans.length / 2;
    if (count <= MAX_REARM_SPANS) return spans;
    const hotIn = this.#hotInGaps(spans); // current: #coldSpans rebuilt hotBefore after promoting
    const closed = gapsToClose(count, MAX_REARM_SPANS, hotIn);
    const probation = this.#options.promoteAfter - 1;
    let demoted = false;
    for (let gap = 0; gap < count - 1; gap++) {
      if (!closed[gap] || hotIn(gap) === 0) continue;
      for (let p = spans[2 * gap + 1]!; p < spans[2 * gap + 2]!; p++) {
        if (!this.#isHot[p]) continue;
        this.#isHot[p] = 0;
        this.#lastWritten[p] = reset;
        this.#streak[p] = probation;
        demoted = true;
      }
    }
    if (demoted) this.#hotSetChanged();
    return mergeGaps(spans, closed);
  }

  #auditDue(reset: number): boolean {
    const every = this.#options.auditEvery;
    return this.#options.hot && every > 0 && this.#hotCount > 0 && reset % every === 0;
  }

  /**
   * Hot pages equal to the baseline right now (before the copy): the last call did not change
   * them. Pages exempt from this audit (they came back right after earlier ones) are left hot.
   */
  #unchangedHotPages(buf: ArrayBuffer, reset: number): Uint32Array {
    const audit = this.#auditNumber(reset);
    const changed = this.#addon.diffPages(buf, this.#baseline, this.#hotRanges);
    const keep = new Uint8Array(this.#isHot.length);
    for (let i = 0; i < changed.length; i += 2) keep.fill(1, changed[i]!, changed[i + 1]!);
    const out: number[] = [];
    for (let i = 0; i < this.#hotRanges.length; i += 2) {
      for (let p = this.#hotRanges[i]!; p < this.#hotRanges[i + 1]!; p++) {
        if (keep[p] || this.#exemptUntil[p]! > audit) continue;
        if (out.length > 0 && out[out.length - 1] === p) out[out.length - 1] = p + 1;
        else out.push(p, p + 1);
      }
    }
    return Uint32Array.from(out);
  }

  /**
   * The audit's pages to protect, in at most MAX_REARM_SPANS spans: each span is one ioctl and one
   * TLB flush (up to ~90 µs under load), and an audit's ~100 scattered pages took ~90 of them.
   * The gaps holding the fewest hot pages are closed; a hot page inside one is protected but stays
   * hot, so writing it costs one fault and leaves it writable again (as after markClean).
   */
  #auditSpans(demote: Uint32Array): Uint32Array {
    const count = demote.length / 2;
    if (count <= MAX_REARM_SPANS) return demote;
    // hotBefore is current here, and the demoted pages still count as hot (they are no gap's).
    return mergeGaps(demote, gapsToClose(count, MAX_REARM_SPANS, this.#hotInGaps(demote)));
  }

  /** For [start, end) spans: the number of hot pages in the gap after span `gap` (hotBefore must be current). */
  #hotInGaps(spans: Uint32Array): (gap: number) => number {
    const hotBefore = this.#hotBefore;
    return (gap) => hotBefore[spans[2 * gap + 2]!]! - hotBefore[spans[2 * gap + 1]!]!;
  }

  /**
   * Page p was just promoted. Demoted by an audit within promoteWindow resets before, it was
   * written all along (with the snapshot's bytes, which the audit cannot tell from unwritten):
   * it is audited again only 2 audits later, then 4, ... up to 64. Back later than that, it
   * starts over.
   */
  #cameBack(p: number, reset: number): void {
    const demotedAt = this.#auditDemotedAt[p]!;
    if (demotedAt === 0) return;
    this.#auditDemotedAt[p] = 0;
    if (reset - demotedAt > this.#options.promoteWindow) {
      this.#exemptLevel[p] = 0;
      return;
    }
    const level = Math.min(this.#exemptLevel[p]! + 1, MAX_EXEMPT_LEVEL);
    this.#exemptLevel[p] = level;
    this.#exemptUntil[p] = this.#auditNumber(reset) + 2 ** level;
  }

  /** Which audit a reset is, or follows: audits fall on multiples of auditEvery (> 0 here). */
  #auditNumber(reset: number): number {
    return Math.floor(reset / this.#options.auditEvery);
  }

  /** Rebuilds hotRanges, hotBefore and hotCount from isHot. */
  #hotSetChanged(): void {
    const isHot = this.#isHot;
    const before = this.#hotBefore;
    const ranges: number[] = [];
    let count = 0;
    for (let p = 0; p < isHot.length; p++) {
      before[p] = count;
      if (!isHot[p]) continue;
      count++;
      if (ranges.length > 0 && ranges[ranges.length - 1] === p) ranges[ranges.length - 1] = p + 1;
      else ranges.push(p, p + 1);
    }
    before[isHot.length] = count;
    this.#hotCount = count;
    this.#hotRanges = Uint32Array.from(ranges);
  }

  #growTables(): void {
    const pages = this.#tracked / HOST_PAGE;
    const grow = <T extends Uint8Array | Uint32Array>(old: T, make: (n: number) => T, n: number): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.#isHot = grow(this.#isHot, (n) => new Uint8Array(n), pages);
    this.#lastWritten = grow(this.#lastWritten, (n) => new Uint32Array(n), pages);
    this.#streak = grow(this.#streak, (n) => new Uint8Array(n), pages);
    this.#auditDemotedAt = grow(this.#auditDemotedAt, (n) => new Uint32Array(n), pages);
    this.#exemptUntil = grow(this.#exemptUntil, (n) => new Uint32Array(n), pages);
    this.#exemptLevel = grow(this.#exemptLevel, (n) => new Uint8Array(n), pages);
    this.#hotBefore = new Uint32Array(pages + 1);
    this.#hotSetChanged();
  }

  #arm(buf: ArrayBuffer, offset: number, length: number): void {
    this.#addon.uffdRegisterWp(this.#uffd, buf, offset, length);
    this.#addon.uffdWriteProtect(this.#uffd, buf, offset, length, true);
  }

  #currentBuffer(): ArrayBuffer {
    if (this.#uffd < 0) throw new Error("dirty restore strategy used after dispose()");
    const buf = this.#memory.buffer; // a new ArrayBuffer object after every grow
    const address = this.#addon.bufferAddress(buf);
    if (address !== this.#address) {
      throw new Error(`wasm memory moved from 0x${this.#address.toString(16)} to 0x${address.toString(16)}; tracking is lost`);
    }
    return buf;
  }
}

/** Writes the overlay's pages that lie inside the [start, end) page ranges. */
function putBack(buf: ArrayBuffer, overlay: PageOverlay, ranges: Uint32Array): void {
  const view = new Uint8Array(buf);
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const end = ranges[i + 1]!;
    for (let page = ranges[i]!; page < end; page++) {
      const bytes = overlay.get(page);
      if (bytes) view.set(bytes, page * HOST_PAGE);
    }
  }
}

/**
 * [start, end) spans covering the sorted `pages` below `limit`, at most `max` of them: runs of
 * adjacent pages, with the narrowest gaps between runs closed until few enough are left.
 */
export function fewSpans(pages: Uint32Array, limit: number, max: number): Uint32Array {
  const runs: number[] = [];
  for (const p of pages) {
    if (p >= limit) break;
    if (runs.length > 0 && runs[runs.length - 1] === p) runs[runs.length - 1] = p + 1;
    else if (runs.length === 0 || runs[runs.length - 1]! < p) runs.push(p, p + 1);
  }
  const count = runs.length / 2;
  if (count <= max) return Uint32Array.from(runs);
  return mergeGaps(runs, gapsToClose(count, max, (gap) => runs[2 * gap + 2]! - runs[2 * gap + 1]!));
}

/** Of the gaps between `count` spans, the `count - max` cheapest by `cost` (1 = close it). */
function gapsToClose(count: number, max: number, cost: (gap: number) => number): Uint8Array {
  const closed = new Uint8Array(count - 1);
  const order = Array.from({ length: count - 1 }, (_, gap) => gap).sort((a, b) => cost(a) - cost(b));
  for (const gap of order.slice(0, count - max)) closed[gap] = 1;
  return closed;
}

/** [start, end) spans with the closed gaps between them merged away. */
function mergeGaps(spans: ArrayLike<number>, closed: Uint8Array): Uint32Array {
  const merged: number[] = [spans[0]!];
  for (let gap = 0; gap < closed.length; gap++) if (!closed[gap]) merged.push(spans[2 * gap + 1]!, spans[2 * gap + 2]!);
  merged.push(spans[spans.length - 1]!);
  return Uint32Array.from(merged);
}

/** One span from the first written page to the last (the re-arm when nothing is hot). */
function hull(written: Uint32Array): Uint32Array {
  const first = written[0];
  const last = written[written.length - 1];
  return first === undefined || last === undefined ? new Uint32Array(0) : Uint32Array.of(first, last);
}

/** The dirty strategy with explicit options (the factory uses the defaults). */
export function createDirtyStrategy(memory: WebAssembly.Memory, baseline: Uint8Array, options: DirtyOptions = {}): DirtyPageStrategy {
  const { addon, reason } = loadNative();
  if (!addon) throw new Error(`dirty restore unavailable: ${reason}`);
  return new DirtyPageStrategy(addon, memory, baseline, options);
}

/** Try the whole mechanism on a small real wasm memory. */
function probeDirty(): Probe {
  const { addon, reason } = loadNative();
  if (!addon) return { ok: false, reason };
  let fd = -1;
  try {
    const features = addon.uffdSupportedFeatures();
    const missing = [
      (features & UFFD_FEATURE_WP_ASYNC) === 0n ? "UFFD_FEATURE_WP_ASYNC" : "",
      (features & UFFD_FEATURE_WP_UNPOPULATED) === 0n ? "UFFD_FEATURE_WP_UNPOPULATED" : "",
    ].filter(Boolean);
    if (missing.length > 0) return { ok: false, reason: `kernel lacks ${missing.join(" and ")} (needs Linux >= 6.7)` };
    const handle = addon.uffdOpenAsyncWp();
    fd = handle.fd;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const buf = memory.buffer;
    new Uint8Array(buf).fill(1);
    addon.uffdRegisterWp(fd, buf, 0, buf.byteLength);
    addon.uffdWriteProtect(fd, buf, 0, buf.byteLength, true);
    new Uint8Array(buf)[3 * HOST_PAGE + 17] = 2;
    const first = addon.scanWritten(buf, 0, buf.byteLength, true);
    const again = addon.scanWritten(buf, 0, buf.byteLength, false);
    if (first.join() !== "3,4" || again.length !== 0) {
      return { ok: false, reason: `PAGEMAP_SCAN reported [${first.join()}] then [${again.join()}], expected [3,4] then []` };
    }
    const mode = handle.userModeOnly ? "user-mode-only" : "privileged";
    return { ok: true, detail: `userfaultfd (${mode}) WP_ASYNC+WP_UNPOPULATED with PAGEMAP_SCAN` };
  } catch (e) {
    return { ok: false, reason: explain(e) };
  } finally {
    if (fd >= 0) addon.closeFd(fd);
  }
}

function explain(e: unknown): string {
  const text = errorText(e);
  if (/^userfaultfd/.test(text) && /EPERM/.test(text)) {
    return `${text}; allow it with sysctl vm.unprivileged_userfaultfd=1 or CAP_SYS_PTRACE`;
  }
  if (/PAGEMAP_SCAN/.test(text) && /(ENOTTY|EINVAL)/.test(text)) return `${text}; PAGEMAP_SCAN needs Linux >= 6.7`;
  return text;
}

export const dirtyFactory: StrategyFactory = {
  name: "dirty",
  probe(): Probe {
    try {
      return probeDirty();
    } catch (e) {
      return { ok: false, reason: errorText(e) };
    }
  },
  create(memory: WebAssembly.Memory, baseline: Uint8Array): RestoreStrategy {
    return createDirtyStrategy(memory, baseline);
  },
};
