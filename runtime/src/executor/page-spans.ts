// The page data of a state in format 2 (state-envelope.ts): for each page of the state's index,
// only the bytes that differ from the page it was taken against (its parent's page, else the
// snapshot's, else zeros past the snapshot). A tree-walk child changes ~112 pages but ~14 KB
// inside them; format 1 deflated the whole XOR-ed pages, 448 KB that were mostly zeros, which was
// 0.4 ms of its 1 ms capture (spikes/21-tree-walk-cpu, spikes/22-page-diff-encoder).
//
// Layout of the raw (inflated) span data, little-endian, for each page of the index in order:
//   2       span count n
//   4n      n × (offset u16, length u16): ascending, apart, inside the page, length ≥ 1
//   Σ len   the spans' new bytes, in order
// A span is a run of 8-byte words that differ. Packed, it is stored as
//   4       raw length (u32)
//   ..      the raw data, raw-deflated (zlib level 1)
// The length lets the executor inflate into a buffer of the right size made resident at once
// (state-pages.ts), and it is checked against the page count before anything is allocated.
import { deflateRawSync } from "node:zlib";
import { HOST_PAGE } from "../restore/strategy.ts";

/**
 * Raw bytes one page's spans take at most when encoded here: spans are runs of differing 8-byte
 * words, so n spans leave n − 1 gaps of at least 8 bytes, and 2 + 4n + (4096 − 8(n − 1)) ≤ 4,102.
 * A state's raw span data is never much larger than its pages.
 */
export const SPANS_BOUND_PER_PAGE = 2 + 4 + HOST_PAGE;
/**
 * Raw bytes one page's spans can take in any well-formed data (4,096 one-byte spans): the bound a
 * stored state's raw length is checked against.
 */
export const SPANS_MAX_PER_PAGE = 2 + 4 * HOST_PAGE + HOST_PAGE;
const WORDS = HOST_PAGE / 8;

/** Wraps raw span data as a state carries it: its length, then the data raw-deflated at zlib level 1 (the addon's packPageSpans encodes and packs in one pass). */
export function packSpans(raw: Uint8Array): Buffer {
  const deflated = deflateRawSync(raw, { level: 1 });
  const out = Buffer.allocUnsafe(4 + deflated.length);
  out.writeUInt32LE(raw.length, 0);
  deflated.copy(out, 4);
  return out;
}

/** The raw length a packed span data says it has and its deflated part, or an Error saying why it cannot be. */
export function unpackSpans(packed: Uint8Array, pages: number): { rawLength: number; deflated: Uint8Array } {
  if (packed.length < 4) throw new Error("page data is too short to hold its length");
  const rawLength = new DataView(packed.buffer, packed.byteOffset, 4).getUint32(0, true);
  if (rawLength > pages * SPANS_MAX_PER_PAGE) throw new Error(`page data says ${rawLength} bytes, more than ${pages} pages can hold`);
  return { rawLength, deflated: packed.subarray(4) };
}

/**
 * JS version of the encoding inside the addon's packPageSpans: `now` holds k pages back to back,
 * before[i] the page page i is taken against; writes their spans into `out` (≥ k ×
 * SPANS_BOUND_PER_PAGE bytes) and returns the bytes written. Only reads and bulk copies: element stores into typed arrays are
 * slow once the executor freezes its intrinsics (spikes/FINDINGS.md, "Frozen intrinsics").
 */
export function encodeSpansJs(now: Uint8Array, before: readonly Uint8Array[], out: Uint8Array): number {
  if (now.length % HOST_PAGE !== 0 || before.length !== now.length / HOST_PAGE) throw new RangeError("encodeSpans: one before page per page of now");
  if (out.length < before.length * SPANS_BOUND_PER_PAGE) throw new RangeError("encodeSpans: out is too small");
  const o = new DataView(out.buffer, out.byteOffset, out.length);
  let at = 0;
  before.forEach((prior, i) => {
    const page = now.subarray(i * HOST_PAGE, (i + 1) * HOST_PAGE);
    const a = new DataView(page.buffer, page.byteOffset, HOST_PAGE);
    const b = new DataView(prior.buffer, prior.byteOffset, HOST_PAGE);
    const differs = (w: number) => a.getUint32(w * 8, true) !== b.getUint32(w * 8, true) || a.getUint32(w * 8 + 4, true) !== b.getUint32(w * 8 + 4, true);
    const spans: number[] = [];
    for (let w = 0; w < WORDS; ) {
      if (!differs(w)) {
        w++;
        continue;
      }
      const start = w;
      while (w < WORDS && differs(w)) w++;
      spans.push(start * 8, (w - start) * 8);
    }
    o.setUint16(at, spans.length / 2, true);
    at += 2;
    for (let s = 0; s < spans.length; s++, at += 2) o.setUint16(at, spans[s]!, true);
    for (let s = 0; s < spans.length; s += 2) {
      out.set(page.subarray(spans[s]!, spans[s]! + spans[s + 1]!), at);
      at += spans[s + 1]!;
    }
  });
  return at;
}

/**
 * JS version of the addon's applySpans: `out` holds k pages back to back, each already holding
 * the page it was taken against; writes raw's spans into them. Throws unless raw describes
 * exactly k pages with spans inside them, ascending and apart (a stored state is hostile input).
 */
export function applySpansJs(raw: Uint8Array, out: Uint8Array): void {
  if (out.length % HOST_PAGE !== 0) throw new RangeError("applySpans: out must be whole pages");
  const r = new DataView(raw.buffer, raw.byteOffset, raw.length);
  let at = 0;
  for (let p = 0; p < out.length / HOST_PAGE; p++) {
    const corrupt = (why: string) => new Error(`page ${p} of the state: ${why}`);
    if (raw.length - at < 2) throw corrupt("span count runs past the end");
    const n = r.getUint16(at, true);
    at += 2;
    if ((raw.length - at) / 4 < n) throw corrupt("span table runs past the end");
    const table = at;
    at += 4 * n;
    let end = 0;
    for (let i = 0; i < n; i++) {
      const off = r.getUint16(table + 4 * i, true);
      const len = r.getUint16(table + 4 * i + 2, true);
      if (len === 0 || off < end || off + len > HOST_PAGE) throw corrupt("spans empty, overlapping or outside the page");
      if (raw.length - at < len) throw corrupt("span bytes run past the end");
      out.set(raw.subarray(at, at + len), p * HOST_PAGE + off);
      at += len;
      end = off + len;
    }
  }
  if (at !== raw.length) throw new Error("span data runs past the last page of the state");
}
