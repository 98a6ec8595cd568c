// The byte work of entering and capturing a state: fresh page buffers, inflating a state's pages,
// XOR against the page a diff was taken against. On this kind of VM the first write to each
// fresh page of memory is a fault that costs ~11 µs, so a 1,000-page state inflated into zlib's
// fresh output took 12.9 ms, and 6.6 ms into memory made resident first in one madvise
// (spikes/16-state-pages). With the native addon the buffers are made resident that way and the
// pages inflated into them; without it (or with an addon built before these functions), zlib
// and a DataView loop do the same work more slowly. The spans of format-2 page data
// (page-spans.ts) are encoded, applied and packed by the addon too when it has those functions.
import { inflateRawSync } from "node:zlib";
import { loadNative, type NativeRestore } from "../restore/native.ts";
import { applySpansJs, encodeSpansJs, packSpans, SPANS_BOUND_PER_PAGE } from "./page-spans.ts";

type Codec = Required<Pick<NativeRestore, "inflateRawInto" | "xorInto" | "prefault">> & Pick<NativeRestore, "applySpans" | "packPageSpans">;

function nativeCodec(): Codec | null {
  const addon = loadNative().addon;
  if (!addon?.inflateRawInto || !addon.xorInto || !addon.prefault) return null;
  return { inflateRawInto: addon.inflateRawInto, xorInto: addon.xorInto, prefault: addon.prefault, applySpans: addon.applySpans, packPageSpans: addon.packPageSpans };
}

export interface StatePages {
  /** Which implementation runs: "native" (the addon) or "js". */
  readonly kind: "native" | "js";
  /** A buffer of `bytes` (contents undefined); from 64 KiB up (native) its pages are already resident. */
  fresh(bytes: number): Buffer;
  /** The raw-deflate stream `packed`, inflated: exactly `bytes` long, or an Error saying why not. */
  inflate(packed: Uint8Array, bytes: number): Buffer;
  /** target ^= other (equal lengths, multiples of 4). */
  xorInto(target: Uint8Array, other: Uint8Array): void;
  /** Writes raw's spans into the k pages of `out` (each holding its before page); throws on malformed data. */
  applySpans(raw: Uint8Array, out: Uint8Array): void;
  /**
   * The spans where the k pages of `now` differ from before[i], packed as a state carries them:
   * their raw length, then raw-deflated at zlib level 1 (page-spans.ts). null when that takes more
   * than maxBytes (the addon stops as soon as it does).
   */
  pack(now: Uint8Array, before: readonly Uint8Array[], maxBytes: number): Buffer | null;
}

/** The native codec when the addon has it, the JS one otherwise (`forceJs` for tests). */
export function statePages(forceJs = false): StatePages {
  const codec = forceJs ? null : nativeCodec();
  return codec ? nativePages(codec) : JS_PAGES;
}

/**
 * Below this a buffer is left to fault in: a child state of a few pages is the common case, and
 * the madvise call costs more than the handful of faults it would save.
 */
const PREFAULT_MIN_BYTES = 64 * 1024;

function nativePages(codec: Codec): StatePages {
  const fresh = (bytes: number): Buffer => {
    if (bytes < PREFAULT_MIN_BYTES) return Buffer.allocUnsafe(bytes);
    const buf = Buffer.allocUnsafeSlow(bytes);
    codec.prefault(buf);
    return buf;
  };
  return {
    kind: "native",
    fresh,
    inflate(packed, bytes) {
      // A state that changed no page: zlib checks that its stream is empty (bounded, like any other).
      if (bytes === 0) return JS_PAGES.inflate(packed, 0);
      const out = fresh(bytes);
      let written: number;
      try {
        written = codec.inflateRawInto(packed, out);
      } catch (e) {
        throw inflateError(e, bytes, "ERR_ARBOR_INFLATE_SIZE");
      }
      if (written !== bytes) throw new Error(`page data holds ${written} bytes, its index says ${bytes}`);
      return out;
    },
    xorInto: codec.xorInto,
    applySpans: codec.applySpans ?? applySpansJs,
    pack: codec.packPageSpans ?? packJs,
  };
}

/** zlib's smallest output chunk. */
const MIN_CHUNK = 64;

const JS_PAGES: StatePages = {
  kind: "js",
  fresh: (bytes) => Buffer.allocUnsafe(bytes),
  inflate(packed, bytes) {
    // One output chunk of the known size: zlib's default 16 KiB chunks, concatenated, touched
    // the fresh memory twice (2,000 faults instead of 1,000 for a 1,000-page state).
    let out: Buffer;
    try {
      out = inflateRawSync(packed, { maxOutputLength: Math.max(bytes, 1), chunkSize: Math.max(bytes, MIN_CHUNK) });
    } catch (e) {
      throw inflateError(e, bytes, "ERR_BUFFER_TOO_LARGE");
    }
    if (out.length !== bytes) throw new Error(`page data holds ${out.length} bytes, its index says ${bytes}`);
    return out;
  },
  xorInto: xorIntoJs,
  applySpans: applySpansJs,
  pack: packJs,
};

/** Encodes the spans into a buffer of their bound, then packs them (the addon does both in one pass). */
function packJs(now: Uint8Array, before: readonly Uint8Array[], maxBytes: number): Buffer | null {
  const raw = Buffer.allocUnsafe(before.length * SPANS_BOUND_PER_PAGE);
  const packed = packSpans(raw.subarray(0, encodeSpansJs(now, before, raw)));
  return packed.length <= maxBytes ? packed : null;
}

/** What went wrong, in the terms of the state: too many bytes for its index, or not a stream. */
function inflateError(e: unknown, bytes: number, tooLargeCode: string): Error {
  if ((e as { code?: unknown }).code === tooLargeCode) return new Error(`page data holds more than the ${bytes} bytes its index says`);
  return new Error(`page data is corrupt: ${(e as Error).message}`);
}

/**
 * target ^= other, 4 bytes at a time, through DataViews: the executor freezes the intrinsics
 * before it serves, and typed-array element stores in code V8 first optimizes after that run
 * ~30x slower; DataView accessors do not (spikes/FINDINGS.md, "Frozen intrinsics").
 */
function xorIntoJs(target: Uint8Array, other: Uint8Array): void {
  if (target.length !== other.length) throw new RangeError("xorInto: lengths differ");
  const t = new DataView(target.buffer, target.byteOffset, target.length);
  const o = new DataView(other.buffer, other.byteOffset, other.length);
  for (let i = 0; i < target.length; i += 4) t.setInt32(i, t.getInt32(i, true) ^ o.getInt32(i, true), true);
}
