// The last boot step before the snapshot: settle the heap so a call writes as few distinct pages
// as it can (a reset copies back every page the call wrote; spikes/10-realistic-restore).
//
// Two causes of scattered writes, two fixes:
// - CPython's collector walks every tracked object in a full collection and writes each one's GC
//   header, so one gc.collect() in a call (or an automatic one) dirtied ~2,900 pages. gc.freeze()
//   moves everything alive after boot to the permanent generation, which collections skip. Boot's
//   objects never become garbage across calls (every call starts from this very state again).
// - Pyodide's malloc is dlmalloc (no pymalloc arenas in this build): boot leaves ~12,000 free
//   chunks (~6 MB) scattered over the 18 MB heap, and a call's allocations land in those holes,
//   one or two per page. Packing takes every hole with a small allocation that is never freed, so
//   a call's allocations come from the one contiguous top chunk instead.
import { runBootCell, type BootedInterpreter } from "./boot.ts";

export interface HeapModule {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _sbrk(increment: number): number;
  _mallinfo(out: number): void;
}

export interface HeapStats {
  /** Bytes of the heap (dlmalloc's arena). */
  heap: number;
  /** Free chunks outside the top chunk. */
  freeChunks: number;
  /** Free bytes, the top chunk included. */
  freeBytes: number;
  /** The top chunk's size (where fresh allocations come from once the holes are gone). */
  topBytes: number;
}

export interface SettleReport {
  before: HeapStats;
  after: HeapStats;
  /** Allocations made to fill the holes (never freed). */
  fillers: number;
  fillerBytes: number;
}

/** Filler sizes, largest first: a big hole takes one big filler rather than thousands of small ones. */
const FILLER_SIZES = [1 << 16, 1 << 12, 1 << 9, 64, 8];

/** Freezes the collector's objects, then packs the heap. Deterministic: same boot, same bytes. */
export function settleHeap(booted: BootedInterpreter, module: HeapModule): SettleReport {
  runBootCell(booted, "import gc\ngc.collect()\ngc.freeze()", "heap settle");
  const before = heapStats(module, booted.memory);
  const packed = packHeap(module, booted.memory);
  return { before, after: heapStats(module, booted.memory), ...packed };
}

/**
 * Allocates from every free chunk below the top chunk until malloc answers from the top chunk.
 * dlmalloc serves a request from the best-fitting free chunk before it touches the top, so a
 * filler that lands in the top chunk means no hole of that size is left: free it and go smaller.
 */
export function packHeap(module: HeapModule, memory: WebAssembly.Memory): { fillers: number; fillerBytes: number } {
  // Every hole lies below the top chunk (a hole next to it merges into it). A filler freed back
  // into the top leaves the top as it was, so this bound holds for the whole loop. (mallinfo walks
  // the heap: once, not per filler.) 64 bytes of margin cover the chunk headers.
  const topStart = module._sbrk(0) - heapStats(module, memory).topBytes - 64;
  let fillers = 0;
  let fillerBytes = 0;
  for (const size of FILLER_SIZES) {
    for (;;) {
      const p = module._malloc(size);
      if (p === 0) throw new Error("boot: malloc failed while packing the heap");
      if (p >= topStart) {
        module._free(p);
        break;
      }
      fillers++;
      fillerBytes += size;
    }
  }
  return { fillers, fillerBytes };
}

export function heapStats(module: HeapModule, memory: WebAssembly.Memory): HeapStats {
  const out = module._malloc(64);
  try {
    module._mallinfo(out);
    // struct mallinfo: arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost.
    const m = new Int32Array(memory.buffer, out, 10);
    return { heap: m[0]!, freeChunks: m[1]!, freeBytes: m[8]!, topBytes: m[9]! };
  } finally {
    module._free(out);
  }
}
