// Checkpointed interpreter states, as the executor holds them. A state is what differs from its
// parent: the 4 KiB pages of linear memory whose bytes changed, plus the filesystem's delta from
// the snapshot. Every executor boots to the same snapshot bytes (deterministic-boot.ts), so a
// state captured on one executor applies on any other.
//
// Applying state S after a reset (memory == snapshot): write S's pages (its own and its
// ancestors', nearest first) and its filesystem delta. The restore strategy sees those writes as
// dirtied pages, so the next reset puts the snapshot back as usual.
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { HOST_PAGE } from "../restore/strategy.ts";
import type { FsDelta } from "./fs-state.ts";
import type { Interpreter } from "./interpreter.ts";

/** A state on the wire (executor ⇄ daemon). */
export interface StateBlob {
  id: string;
  parent_id: string | null;
  /** Linear memory size the state needs (it may have grown past the snapshot). */
  memory_bytes: number;
  /** Host-page indices of `pages_b64`, ascending. */
  page_index: number[];
  /**
   * The pages, each XOR-ed with the parent's bytes for that page, concatenated, raw-deflated,
   * base64. Most pages a call dirties differ from the parent in a few bytes (allocator
   * bookkeeping, refcounts): XOR leaves mostly zeros, and deflate makes those pages nearly free,
   * so a state costs about what it really changed.
   */
  pages_b64: string;
  fs: FsDelta;
}

interface CachedState {
  id: string;
  memoryBytes: number;
  /** Every page that differs from the snapshot, own and inherited (views into blob buffers). */
  pages: Map<number, Uint8Array>;
  fs: FsDelta;
}

export class StateCache {
  private readonly states = new Map<string, CachedState>();
  /**
   * The state the interpreter is kept in between calls (null: the snapshot). Forks run many
   * calls on one state; after each, the reset puts back only what the call wrote, so a branch
   * costs what it dirtied, not the size of the state.
   */
  private current: CachedState | null = null;

  constructor(private readonly baseline: Uint8Array) {}

  has(id: string): boolean {
    return this.states.has(id);
  }

  get size(): number {
    return this.states.size;
  }

  /** Adds a state whose parent (if any) is already cached. */
  add(blob: StateBlob): void {
    const parent = blob.parent_id ? this.states.get(blob.parent_id) : undefined;
    if (blob.parent_id && !parent) throw new Error(`state ${blob.id}: parent ${blob.parent_id} is not loaded`);
    const bytes = inflateRawSync(Buffer.from(blob.pages_b64, "base64"), { maxOutputLength: blob.page_index.length * HOST_PAGE });
    if (bytes.length !== blob.page_index.length * HOST_PAGE) throw new Error(`state ${blob.id}: page data does not match its index`);
    const pages = new Map(parent?.pages);
    blob.page_index.forEach((page, i) => {
      const value = bytes.subarray(i * HOST_PAGE, (i + 1) * HOST_PAGE);
      xorInto(value, parent?.pages.get(page) ?? pageOf(this.baseline, page));
      pages.set(page, value);
    });
    this.states.set(blob.id, { id: blob.id, memoryBytes: blob.memory_bytes, pages, fs: blob.fs });
  }

  forget(interp: Interpreter, ids: readonly string[]): void {
    for (const id of ids) {
      if (this.current?.id === id) this.enter(interp, null);
      this.states.delete(id);
    }
  }

  get currentId(): string | null {
    return this.current?.id ?? null;
  }

  /** Moves the interpreter (between calls) from the current state to `id` (null: the snapshot). */
  enter(interp: Interpreter, id: string | null): void {
    if ((this.current?.id ?? null) === id) return;
    const target = id === null ? null : this.get(id);
    if (this.current) {
      // Back to the snapshot: the current state's pages and files.
      const view = new Uint8Array(interp.booted.memory.buffer);
      for (const page of this.current.pages.keys()) view.set(pageOf(interp.baseline, page), page * HOST_PAGE);
      interp.strategy.markClean?.(sortedPages(this.current));
      interp.resetFs();
    }
    this.current = null;
    if (target) {
      const memory = interp.booted.memory;
      const missing = target.memoryBytes - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / 65536));
      const view = new Uint8Array(memory.buffer);
      for (const [page, bytes] of target.pages) view.set(bytes, page * HOST_PAGE);
      interp.strategy.markClean?.(sortedPages(target));
      interp.applyFs(target.fs);
      this.current = target;
    }
  }

  /**
   * After a reset to the snapshot: put back the current state's pages the call had written
   * (`written`, taken before the reset; null: unknown, all of them) and its files.
   */
  reenter(interp: Interpreter, written: Uint32Array | null): void {
    const state = this.current;
    if (!state) return;
    const view = new Uint8Array(interp.booted.memory.buffer);
    const basePages = interp.baseline.length / HOST_PAGE;
    if (written) {
      const reapplied: number[] = [];
      for (const page of written) {
        const bytes = state.pages.get(page);
        if (bytes && page < basePages) {
          view.set(bytes, page * HOST_PAGE);
          reapplied.push(page);
        }
      }
      // Memory past the snapshot is cleared by every reset, tracked or not.
      for (const [page, bytes] of state.pages) {
        if (page >= basePages) {
          view.set(bytes, page * HOST_PAGE);
          reapplied.push(page);
        }
      }
      interp.strategy.markClean?.(Uint32Array.from(reapplied).sort());
    } else {
      for (const [page, bytes] of state.pages) view.set(bytes, page * HOST_PAGE);
    }
    if (state.fs.removed.length || state.fs.dirs.length || state.fs.files.length || state.fs.links.length) {
      interp.applyFs(state.fs);
    }
  }

  get(id: string): CachedState {
    const state = this.states.get(id);
    if (!state) throw new Error(`state ${id} is not loaded in this executor`);
    return state;
  }

  /**
   * Captures the interpreter's current state as a child of `parentId` (null: the snapshot):
   * only pages whose bytes differ from the parent's are kept.
   */
  capture(interp: Interpreter, id: string, parentId: string | null): StateBlob {
    const parent = parentId ? this.get(parentId) : null;
    const view = new Uint8Array(interp.booted.memory.buffer);
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
    const data = Buffer.allocUnsafe(changed.length * HOST_PAGE);
    changed.forEach((page, i) => {
      const slot = data.subarray(i * HOST_PAGE, (i + 1) * HOST_PAGE);
      slot.set(view.subarray(page * HOST_PAGE, (page + 1) * HOST_PAGE));
      xorInto(slot, parent?.pages.get(page) ?? pageOf(baseline, page));
    });
    const blob: StateBlob = {
      id,
      parent_id: parentId,
      memory_bytes: view.length,
      page_index: changed,
      pages_b64: deflateRawSync(data, { level: 1 }).toString("base64"),
      fs: interp.fsDiff(),
    };
    this.add(blob);
    return blob;
  }
}

const ZERO_PAGE = new Uint8Array(HOST_PAGE);

function sortedPages(state: CachedState): Uint32Array {
  return Uint32Array.from(state.pages.keys()).sort();
}

/** target ^= other, 8 bytes at a time (pages are 4 KiB, 8-byte aligned). */
function xorInto(target: Uint8Array, other: Uint8Array): void {
  if (target.byteOffset % 8 !== 0 || other.byteOffset % 8 !== 0) {
    for (let i = 0; i < HOST_PAGE; i++) target[i]! ^= other[i]!;
    return;
  }
  const t = new BigUint64Array(target.buffer, target.byteOffset, HOST_PAGE / 8);
  const o = new BigUint64Array(other.buffer, other.byteOffset, HOST_PAGE / 8);
  for (let i = 0; i < t.length; i++) t[i]! ^= o[i]!;
}

function pageOf(baseline: Uint8Array, page: number): Uint8Array {
  const start = page * HOST_PAGE;
  return start < baseline.length ? baseline.subarray(start, start + HOST_PAGE) : ZERO_PAGE;
}
