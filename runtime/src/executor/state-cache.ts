// Checkpointed interpreter states, as the executor holds them. A state is what differs from its
// parent: the 4 KiB pages of linear memory whose bytes changed, plus the filesystem's delta from
// the snapshot. Every executor boots to the same snapshot bytes (deterministic-boot.ts), so a
// state captured on one executor applies on any other.
//
// Held as it came (compressed diffs), so thousands of states cost what they changed; a state is
// decompressed into a full page map when entered, and the most recently used maps are kept
// (a byte budget), so moving between a few hot states decompresses nothing.
//
// Entering state S writes the pages where S differs from what memory holds (the previous state
// or the snapshot), as clean pages for the restore strategy (RestoreStrategy.writeClean); while
// S is current, every reset puts S's pages back in place of the snapshot's
// (Interpreter.reset(overlay)), so a call on S costs what it wrote, not the size of S.
import { HOST_PAGE, type PageOverlay } from "../restore/strategy.ts";
import type { FsDelta, StateBlob } from "../protocol/messages.ts";
import { CAPTURED_PAGE_FORMAT, type PageFormat } from "../protocol/page-format.ts";
import type { Interpreter } from "./interpreter.ts";
import { unpackSpans } from "./page-spans.ts";
import { statePages, type StatePages } from "./state-pages.ts";

/** A state as held between uses: what the wire carried, still compressed (it costs what it changed). */
interface StoredState {
  id: string;
  parentId: string | null;
  memoryBytes: number;
  pageIndex: number[];
  /** StateBlob.page_format: 1, whole pages XOR-ed and deflated; 2, spans (page-spans.ts). */
  format: PageFormat;
  /** The pages as the wire carried them (StateBlob.pages). */
  packed: Buffer;
  fs: FsDelta;
}

/** A state ready to apply: every page that differs from the snapshot, own and inherited. */
interface Materialized {
  id: string;
  memoryBytes: number;
  pages: Map<number, Uint8Array>;
  fs: FsDelta;
  /** Rough bytes held: inflated pages this map made plus the map itself. */
  cost: number;
}

/** Per map entry: key, value pointer and hash-table slack, roughly. */
const MAP_ENTRY_BYTES = 96;
export const DEFAULT_MATERIALIZED_BUDGET = 64 * 1024 * 1024;
/**
 * Past this many changed pages a capture tells its caller before the costly part (copying,
 * encoding, deflating: ~40 µs a page here, so ~40 ms below it).
 */
const LARGE_CAPTURE_PAGES = 1024;

export class StateCache {
  private readonly stored = new Map<string, StoredState>();
  /** Recently applied states, least recently used first (a Map keeps insertion order). */
  private readonly materialized = new Map<string, Materialized>();
  private materializedBytes = 0;
  /**
   * The state the interpreter is kept in between calls (null: the snapshot). Forks run many
   * calls on one state; after each, the reset puts back only what the call wrote, so a branch
   * costs what it dirtied, not the size of the state.
   */
  private current: Materialized | null = null;

  /**
   * `materializedBudget`: bytes of decompressed states kept ready besides the current one. A
   * state outside it is decompressed again (from its own and its ancestors' diffs) when entered.
   * `pages`: the byte work (native when the addon has it, state-pages.ts).
   */
  constructor(
    private readonly baseline: Uint8Array,
    private readonly materializedBudget = DEFAULT_MATERIALIZED_BUDGET,
    private readonly pages: StatePages = statePages(),
  ) {}

  has(id: string): boolean {
    return this.stored.has(id);
  }

  get size(): number {
    return this.stored.size;
  }

  /** Decompressed states kept ready (the current one included). */
  get materializedCount(): number {
    return this.materialized.size;
  }

  /** Adds a state whose parent (if any) is already held. It stays compressed until entered. */
  add(blob: StateBlob): void {
    if (blob.parent_id && !this.stored.has(blob.parent_id)) throw new Error(`state ${blob.id}: parent ${blob.parent_id} is not loaded`);
    this.stored.set(blob.id, {
      id: blob.id,
      parentId: blob.parent_id,
      memoryBytes: blob.memory_bytes,
      pageIndex: blob.page_index,
      format: blob.page_format,
      packed: Buffer.from(blob.pages.buffer, blob.pages.byteOffset, blob.pages.byteLength),
      fs: blob.fs,
    });
  }

  forget(interp: Interpreter, ids: readonly string[]): void {
    for (const id of ids) {
      if (this.current?.id === id) this.enter(interp, null);
      this.stored.delete(id);
      this.dropMaterialized(id);
    }
  }

  get currentId(): string | null {
    return this.current?.id ?? null;
  }

  /**
   * Moves the interpreter (between calls) from the current state to `id` (null: the snapshot).
   * Only pages that differ between the two are written: a page both maps share (the same buffer,
   * inherited from a common ancestor's map) already holds the right bytes, so moving between
   * siblings costs what they changed, not the size of their parent. `capBytes`: the call's
   * memory limit; a state whose memory grew past it is refused (the executor answers StateError).
   */
  enter(interp: Interpreter, id: string | null, capBytes = Number.MAX_SAFE_INTEGER): void {
    const from = this.current;
    const needs = id === null ? 0 : this.stored.get(id)?.memoryBytes ?? 0;
    // Whichever executor runs it: one that made the state (or entered it before) already has the
    // memory, and memory never shrinks, so only this check makes the answer the same everywhere.
    if (needs > interp.baseline.length && needs > capBytes) {
      throw new Error(`state ${id} needs ${mib(needs)} MiB of linear memory, more than this call's memory_mb allows (${mib(capBytes)} MiB)`);
    }
    if ((from?.id ?? null) === id) return;
    const target = id === null ? null : this.materialize(id);
    if (target) interp.engine.growMemory(target.memoryBytes);
    // What to write: pages that differ between the two maps (a page both share is already right).
    const writes = new Map<number, Uint8Array>();
    if (from) {
      for (const [page, bytes] of from.pages) {
        const want = target?.pages.get(page);
        if (want !== bytes) writes.set(page, want ?? pageOf(interp.baseline, page));
      }
    }
    if (target) for (const [page, bytes] of target.pages) if (!from?.pages.has(page)) writes.set(page, bytes);
    // Written so they count as clean: the next reset leaves them alone unless a call writes them.
    interp.strategy.writeClean(Uint32Array.from(writes.keys()).sort(), (page) => writes.get(page)!);
    // Files: back to the snapshot's tree, then the target's delta (small next to the pages).
    if (from) interp.engine.files.reset();
    if (target) interp.engine.files.apply(target.fs);
    this.current = target;
    this.evictMaterialized();
  }

  /** The pages the next reset must put back instead of the snapshot's (Interpreter.reset). */
  get overlay(): PageOverlay | undefined {
    return this.current?.pages;
  }

  /** After a reset with `overlay`: the current state's files (the reset put back the snapshot's tree). */
  reenter(interp: Interpreter): void {
    const fs = this.current?.fs;
    if (fs && (fs.removed.length || fs.dirs.length || fs.files.length || fs.links.length)) interp.engine.files.apply(fs);
  }

  /**
   * The state's full page map, built from the nearest ancestor already materialized (or the
   * snapshot) down: each diff on the way inflated and XOR-ed onto the page it was taken against.
   * Every level is kept, so siblings share their parent's page buffers (which is what makes
   * moving between them cheap, see enter()).
   */
  private materialize(id: string): Materialized {
    const chain: StoredState[] = [];
    let made = this.materialized.get(id);
    for (let at: string | null = id; !made && at !== null; ) {
      const state = this.stored.get(at);
      if (!state) throw new Error(at === id ? `state ${id} is not loaded in this executor` : `state ${id}: ancestor ${at} is not loaded`);
      chain.push(state);
      at = state.parentId;
      if (at !== null) made = this.materialized.get(at);
    }
    for (const state of chain.reverse()) made = this.build(state, made);
    this.touch(id);
    return made!;
  }

  private build(state: StoredState, parent: Materialized | undefined): Materialized {
    const pages = new Map(parent?.pages);
    let bytes: Buffer;
    try {
      bytes = state.format === 2 ? this.applySpans(state, pages) : this.applyXor(state, pages);
    } catch (e) {
      throw new Error(`state ${state.id}: ${(e as Error).message}`);
    }
    state.pageIndex.forEach((page, i) => pages.set(page, bytes.subarray(i * HOST_PAGE, (i + 1) * HOST_PAGE)));
    const made: Materialized = { id: state.id, memoryBytes: state.memoryBytes, pages, fs: state.fs, cost: bytes.length + pages.size * MAP_ENTRY_BYTES };
    this.materialized.set(state.id, made);
    this.materializedBytes += made.cost;
    return made;
  }

  /** Format 2: each page is the page it was taken against (in `pages`) with its spans written over. */
  private applySpans(state: StoredState, pages: Map<number, Uint8Array>): Buffer {
    const { rawLength, deflated } = unpackSpans(state.packed, state.pageIndex.length);
    const raw = this.pages.inflate(deflated, rawLength);
    const bytes = this.pages.fresh(state.pageIndex.length * HOST_PAGE);
    state.pageIndex.forEach((page, i) => bytes.set(pages.get(page) ?? pageOf(this.baseline, page), i * HOST_PAGE));
    this.pages.applySpans(raw, bytes);
    return bytes;
  }

  /** Format 1 (states captured by the build before): whole pages, each XOR-ed with the page it was taken against. */
  private applyXor(state: StoredState, pages: Map<number, Uint8Array>): Buffer {
    const bytes = this.pages.inflate(state.packed, state.pageIndex.length * HOST_PAGE);
    state.pageIndex.forEach((page, i) => this.pages.xorInto(bytes.subarray(i * HOST_PAGE, (i + 1) * HOST_PAGE), pages.get(page) ?? pageOf(this.baseline, page)));
    return bytes;
  }

  /** Marks the state, then its ancestors, most recently used: leaves are evicted before their parents. */
  private touch(id: string): void {
    for (let at: string | null = id; at !== null; at = this.stored.get(at)?.parentId ?? null) {
      const made = this.materialized.get(at);
      if (!made) continue;
      this.materialized.delete(at);
      this.materialized.set(at, made);
    }
  }

  /** Least recently used first, down to the budget; the current state always stays. */
  private evictMaterialized(): void {
    for (const [id, state] of this.materialized) {
      if (this.materializedBytes <= this.materializedBudget) return;
      if (state !== this.current) this.dropMaterialized(id);
    }
  }

  private dropMaterialized(id: string): void {
    const state = this.materialized.get(id);
    if (!state) return;
    this.materialized.delete(id);
    this.materializedBytes -= state.cost;
  }

  /**
   * Captures the interpreter's current state as a child of `parentId` (null: the snapshot):
   * only pages whose bytes differ from the parent's are kept. null, and nothing kept, when the
   * state's packed pages would take more than `maxPackedBytes`. `onLarge` hears of a capture of
   * more than LARGE_CAPTURE_PAGES pages before its costly part.
   */
  capture(
    interp: Interpreter,
    id: string,
    parentId: string | null,
    { maxPackedBytes = Infinity, onLarge }: { maxPackedBytes?: number; onLarge?: (pages: number) => void } = {},
  ): StateBlob | null {
    const parent = parentId ? this.materialize(parentId) : null;
    const view = new Uint8Array(interp.engine.memory.buffer);
    const baseline = interp.baseline;
    const candidates = interp.strategy.writtenPages();
    const changed: number[] = [];
    const consider = (page: number) => {
      const start = page * HOST_PAGE;
      if (start >= view.length) return;
      const now = view.subarray(start, start + HOST_PAGE);
      const before = parent?.pages.get(page) ?? pageOf(baseline, page);
      if (Buffer.compare(now, before) !== 0) changed.push(page);
    };
    const basePages = baseline.length / HOST_PAGE;
    if (candidates) {
      for (const page of candidates) if (page < basePages) consider(page);
    } else {
      for (let page = 0; page < basePages; page++) consider(page);
    }
    // Memory grown past the snapshot is not tracked by every strategy: compare it all.
    for (let page = basePages; page < view.length / HOST_PAGE; page++) consider(page);
    // Pages the parent changed that this call put back to the snapshot's bytes still differ
    // from the parent: consider() saw them (they were written), so nothing is lost.
    changed.sort((a, b) => a - b);
    if (changed.length > LARGE_CAPTURE_PAGES) onLarge?.(changed.length);
    const data = this.pages.fresh(changed.length * HOST_PAGE);
    const slots = changed.map((page, i) => {
      const slot = data.subarray(i * HOST_PAGE, (i + 1) * HOST_PAGE);
      slot.set(view.subarray(page * HOST_PAGE, (page + 1) * HOST_PAGE));
      return slot;
    });
    const against = changed.map((page) => parent?.pages.get(page) ?? pageOf(baseline, page));
    // Only the spans that differ are deflated (format 2); `data` keeps the state's own pages,
    // which become its page map below.
    const packed = this.pages.pack(data, against, maxPackedBytes);
    if (!packed) return null;
    const blob: StateBlob = {
      id,
      parent_id: parentId,
      memory_bytes: view.length,
      page_index: changed,
      page_format: CAPTURED_PAGE_FORMAT,
      pages: packed,
      fs: interp.engine.files.diff(),
    };
    this.add(blob);
    // The executor rests in the new state: memory holds it now, and the reset after this call
    // puts its pages back (Interpreter.reset(overlay)). Its first branches here then enter
    // nothing; resting in the parent instead cost a reset to the parent and, at the first
    // fork, a decompression and ~1,000 page writes back (spikes/15-fork-warm-up).
    const pages = new Map(parent?.pages);
    changed.forEach((page, i) => pages.set(page, slots[i]!));
    const made: Materialized = { id, memoryBytes: view.length, pages, fs: blob.fs, cost: data.length + pages.size * MAP_ENTRY_BYTES };
    this.materialized.set(id, made);
    this.materializedBytes += made.cost;
    this.current = made;
    this.evictMaterialized();
    return blob;
  }
}

const ZERO_PAGE = new Uint8Array(HOST_PAGE);

/** Bytes as MiB with one decimal, for the messages of refused states. */
export function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function pageOf(baseline: Uint8Array, page: number): Uint8Array {
  const start = page * HOST_PAGE;
  return start < baseline.length ? baseline.subarray(start, start + HOST_PAGE) : ZERO_PAGE;
}
