// The byte work of entering and capturing a state (state-pages.ts, page-spans.ts): the native
// codec (the addon's inflate into pre-faulted memory, XOR and spans in C) and the JS one must
// agree byte for byte, and both must refuse page data that is not exactly what a state's index
// says, with an error that names the problem.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import fc from "fast-check";
import { encodeSpansJs, SPANS_BOUND_PER_PAGE, SPANS_MAX_PER_PAGE, unpackSpans } from "../src/executor/page-spans.ts";
import { statePages, type StatePages } from "../src/executor/state-pages.ts";
import { loadNative } from "../src/restore/native.ts";

const PAGE = 4096;

/**
 * Pairs of pages shaped like a state's changes against its parent: unchanged, one byte in the
 * first and last word, scattered words, alternate words (the most spans a page can have), a
 * whole page. Returns the new pages back to back and the pages they were taken against.
 */
function changedPages(): { now: Buffer; before: Buffer[] } {
  const before = Array.from({ length: 6 }, () => randomBytes(PAGE));
  const now = Buffer.concat(before);
  const at = (page: number, offset: number) => page * PAGE + offset;
  now[at(1, 0)]! ^= 1;
  now[at(1, PAGE - 1)]! ^= 0x80;
  for (const offset of [17, 18, 300, 301, 302, 2048, 4000]) now[at(2, offset)]! ^= 0xff;
  for (let w = 0; w < PAGE / 8; w += 2) now[at(3, w * 8 + 5)]! ^= 0x10;
  randomBytes(PAGE).copy(now, at(4, 0));
  randomBytes(1000).copy(now, at(5, 1500));
  return { now, before };
}

/** Span data for one page: the given (offset, length) table and that many bytes. */
function spanData(spans: Array<[number, number]>, bytes = spans.reduce((n, [, len]) => n + len, 0)): Buffer {
  const head = Buffer.alloc(2 + 4 * spans.length);
  head.writeUInt16LE(spans.length, 0);
  spans.forEach(([off, len], i) => {
    head.writeUInt16LE(off, 2 + 4 * i);
    head.writeUInt16LE(len, 4 + 4 * i);
  });
  return Buffer.concat([head, Buffer.alloc(bytes, 0x5a)]);
}

/** The raw span data inside what `codec` packs; the length it stores must be the stream's. */
function encode(codec: StatePages, now: Buffer, before: Buffer[]): Buffer {
  const { rawLength, deflated } = unpackSpans(codec.pack(now, before, Infinity)!, before.length);
  const raw = inflateRawSync(deflated);
  assert.equal(rawLength, raw.length, "the stored raw length");
  return raw;
}

/** Pages shaped like a state's diff: mostly zeros (unchanged bytes XOR-ed away), some noise. */
function diffLikePages(count: number): Buffer {
  const bytes = Buffer.alloc(count * PAGE);
  for (let p = 0; p < count; p++) randomBytes(64 + (p % 7) * 300).copy(bytes, p * PAGE + (p * 131) % 1024);
  return bytes;
}

test("with the addon built, the executor gets the native codec (a stale addon would fall back silently)", () => {
  const addon = loadNative().addon;
  assert.ok(addon, `the native addon is needed for the dirty strategy on Linux: ${loadNative().reason}`);
  assert.equal(statePages().kind, "native");
  assert.equal(statePages(true).kind, "js");
});

for (const kind of ["native", "js"] as const) {
  describe(`${kind} codec`, () => {
    const codec = statePages(kind === "js");

    test("inflates a state's pages to exactly the bytes that were deflated", () => {
      for (const count of [0, 1, 3, 257]) {
        const pages = diffLikePages(count);
        const out = codec.inflate(deflateRawSync(pages, { level: 1 }), count * PAGE);
        assert.equal(out.length, count * PAGE);
        assert.ok(out.equals(pages), `${count} pages differ after the round trip`);
      }
    });

    test("refuses page data whose size is not what the index says, or that is not one whole stream", () => {
      const pages = diffLikePages(8);
      const packed = deflateRawSync(pages, { level: 1 });
      assert.throws(() => codec.inflate(packed, 7 * PAGE), /page data holds more than the 28672 bytes its index says/);
      assert.throws(() => codec.inflate(packed, 9 * PAGE), /page data holds 32768 bytes, its index says 36864/);
      assert.throws(() => codec.inflate(packed.subarray(0, packed.length >> 1), 8 * PAGE), /page data is corrupt/);
      assert.throws(() => codec.inflate(Buffer.from("not a deflate stream at all"), 8 * PAGE), /page data is corrupt/);
      // An index of no pages with data behind it (a stream that inflates to 64 MiB): refused, not inflated.
      assert.throws(() => codec.inflate(deflateRawSync(Buffer.alloc(64 << 20)), 0), /page data holds more than the 0 bytes its index says/);
    });

    test("XOR twice with the same page gives the page back; unequal lengths are refused", () => {
      const page = randomBytes(PAGE);
      const other = randomBytes(PAGE);
      const work = Buffer.from(page);
      codec.xorInto(work, other);
      assert.ok(!work.equals(page));
      for (let i = 0; i < PAGE; i += 509) assert.equal(work[i], page[i]! ^ other[i]!);
      codec.xorInto(work, other);
      assert.ok(work.equals(page));
      assert.throws(() => codec.xorInto(work, other.subarray(0, PAGE - 4)), /lengths differ/);
    });

    test("spans: each page comes back from the page it was taken against; an unchanged page costs 2 bytes", () => {
      const { now, before } = changedPages();
      const raw = encode(codec, now, before);
      const out = Buffer.concat(before);
      codec.applySpans(raw, out);
      assert.ok(out.equals(now), "the pages applied from their spans differ from the pages encoded");
      assert.equal(raw.readUInt16LE(0), 0, "the unchanged page has no span");
      assert.equal(raw.readUInt16LE(2), 2, "a byte in the first and in the last word: two spans");
      // Per page: a count, then per span 4 bytes of table and its words. Unchanged 2; first and
      // last word 2 + 2 × 12; four words apart 2 + 4 × 12; 256 alternate words 2 + 256 × 12;
      // whole page 2 + 4 + 4096; 1,000 bytes from 1,500 (words 187–312) 2 + 4 + 126 × 8.
      assert.equal(raw.length, 2 + 26 + 50 + 3074 + 4102 + 1014);
      // Packed as a state carries it: the raw length, then the deflated data, which the codec's
      // own inflate reads back.
      const { rawLength, deflated } = unpackSpans(codec.pack(now, before, Infinity)!, before.length);
      assert.ok(codec.inflate(deflated, rawLength).equals(raw));
    });

    test("spans: malformed data is refused, saying what is wrong", () => {
      const page = () => Buffer.alloc(PAGE);
      const refuses = (raw: Buffer, pages: number, why: RegExp) => assert.throws(() => codec.applySpans(raw, Buffer.concat(Array.from({ length: pages }, page))), why);
      refuses(Buffer.alloc(1), 1, /page 0 of the state: span count runs past the end/);
      refuses(spanData([[0, 8]]).subarray(0, 4), 1, /page 0 of the state: span table runs past the end/);
      refuses(spanData([[0, 8]], 7), 1, /page 0 of the state: span bytes run past the end/);
      refuses(spanData([[0, 0]]), 1, /spans empty, overlapping or outside the page/);
      refuses(spanData([[8, 16], [16, 8]]), 1, /spans empty, overlapping or outside the page/);
      refuses(spanData([[4090, 8]]), 1, /spans empty, overlapping or outside the page/);
      refuses(spanData([[65535, 65535]]), 1, /spans empty, overlapping or outside the page/);
      refuses(Buffer.concat([spanData([]), spanData([[0, 8]])]), 1, /span data runs past the last page of the state/);
      refuses(spanData([[0, 8]]), 2, /page 1 of the state: span count runs past the end/);
      assert.throws(() => unpackSpans(Buffer.from([1, 0]), 1), /too short/);
      const huge = Buffer.alloc(8);
      huge.writeUInt32LE(SPANS_MAX_PER_PAGE * 3 + 1, 0);
      assert.throws(() => unpackSpans(huge, 3), /more than 3 pages can hold/);
    });

    test("spans: arbitrary bytes as span data are refused or applied inside the pages, never past them", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 3 }), (raw, pages) => {
          const out = Buffer.alloc((pages + 1) * PAGE, 0xee);
          try {
            codec.applySpans(raw, out.subarray(0, pages * PAGE));
          } catch (e) {
            assert.match((e as Error).message, /of the state/);
          }
          assert.ok(out.subarray(pages * PAGE).every((b) => b === 0xee), "a span was written past the last page");
        }),
        // The first: data left over after the last page (a counterexample CI's fuzzing found).
        { numRuns: 500, examples: [[Uint8Array.from([0, 0, 0]), 1]] },
      );
    });

    test("pack: its length, then a stream any inflate reads back, call after call (the addon keeps one stream)", () => {
      // Across the addon's chunks of 64 pages, and 2,200 pages: past the 8 MiB output buffer the
      // addon keeps, so it is let go and made again.
      for (const count of [0, 1, 63, 64, 65, 150, 2200, 3, 20]) {
        const before = Array.from({ length: count }, (_, p) => randomBytes(PAGE).fill(0, 0, (p * 131) % PAGE));
        const now = Buffer.concat(before);
        for (let p = 0; p < count; p++) randomBytes(64 + (p % 7) * 300).copy(now, p * PAGE + ((p * 131) % 1024));
        const packed = codec.pack(now, before, Infinity)!;
        const raw = Buffer.alloc(count * SPANS_BOUND_PER_PAGE);
        const want = raw.subarray(0, encodeSpansJs(now, before, raw));
        assert.equal(packed.readUInt32LE(0), want.length, `${count} pages: the raw length`);
        assert.ok(inflateRawSync(packed.subarray(4)).equals(want), `${count} pages: the spans differ after the round trip`);
        const back = Buffer.concat(before);
        codec.applySpans(want, back);
        assert.ok(back.equals(now), `${count} pages: applied, they are the pages encoded`);
        if (count > 100) assert.ok(packed.length < now.length / 3, `${count} pages packed to ${packed.length} bytes`);
      }
    });

    test("pack: null once the packed data would take more than maxBytes, and the next pack is whole", () => {
      const { now, before } = changedPages();
      const whole = codec.pack(now, before, Infinity)!;
      assert.ok(codec.pack(now, before, whole.length)!.equals(whole), "exactly at the cap: kept");
      assert.equal(codec.pack(now, before, whole.length - 1), null, "one byte under: refused");
      assert.equal(codec.pack(now, before, 4), null);
      // 300 pages of random bytes, all changed: refused long before their 1.2 MB are deflated.
      const noise = randomBytes(300 * PAGE);
      const zeros = Array.from({ length: 300 }, () => Buffer.alloc(PAGE));
      assert.equal(codec.pack(noise, zeros, 100_000), null);
      assert.ok(codec.pack(now, before, Infinity)!.equals(whole), "the stream starts over after a refusal");
      assert.ok(codec.pack(noise, zeros, 2 * noise.length)!.length > noise.length, "random pages do not compress");
    });

    test("a fresh buffer has the size asked for and is writable throughout", () => {
      for (const bytes of [0, 100, PAGE, 5 * PAGE + 17, 300 * PAGE + 5]) {
        const buf = codec.fresh(bytes);
        assert.equal(buf.length, bytes);
        buf.fill(0xa5);
        assert.ok(buf.every((b) => b === 0xa5));
      }
    });
  });
}

test("the native and JS codecs encode the same spans, and each applies the other's", () => {
  const native = statePages();
  const js = statePages(true);
  for (let round = 0; round < 5; round++) {
    const { now, before } = changedPages();
    const a = encode(native, now, before);
    assert.ok(a.equals(encode(js, now, before)), "native and JS span data differ");
    const out = Buffer.concat(before);
    js.applySpans(a, out);
    assert.ok(out.equals(now));
  }
  // Any pattern of changed words fits in SPANS_BOUND_PER_PAGE per page (out is sized exactly).
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: PAGE / 8 - 1 }), { maxLength: 600 }), fc.integer({ min: 1, max: 3 }), (words, pages) => {
      const before = Array.from({ length: pages }, () => Buffer.alloc(PAGE));
      const now = Buffer.alloc(pages * PAGE);
      words.forEach((w, i) => (now[(i % pages) * PAGE + w * 8 + (i % 8)] = 1));
      const raw = encode(native, now, before);
      assert.ok(raw.equals(encode(js, now, before)), "native and JS span data differ");
      const back = Buffer.concat(before);
      native.applySpans(raw, back);
      assert.ok(back.equals(now));
    }),
    { numRuns: 300 },
  );
  assert.throws(() => native.pack(Buffer.alloc(PAGE + 1), [Buffer.alloc(PAGE)], Infinity), /whole pages/);
  assert.throws(() => native.pack(Buffer.alloc(PAGE), [Buffer.alloc(PAGE)], 3), /maxBytes must be a number >= 4/);
  assert.throws(() => native.pack(Buffer.alloc(PAGE), [Buffer.alloc(100)], Infinity), /4096 bytes/);
  assert.throws(() => native.pack(Buffer.alloc(2 * PAGE), [Buffer.alloc(PAGE)], Infinity), /one before page per page/);
  // A page past the first chunk of 64 refused too, and the stream is fine for the next call.
  assert.throws(() => native.pack(Buffer.alloc(70 * PAGE), [...Array.from({ length: 69 }, () => Buffer.alloc(PAGE)), Buffer.alloc(8)], Infinity), /4096 bytes/);
  const { now, before } = changedPages();
  assert.ok(encode(native, now, before).equals(encode(js, now, before)));
});

test("prefault leaves the bytes as they were, the partial pages at either end included", () => {
  const addon = loadNative().addon!;
  const backing = randomBytes(6 * PAGE + 300);
  const copy = Buffer.from(backing);
  addon.prefault!(backing.subarray(123, backing.length - 77));
  assert.ok(backing.equals(copy));
  assert.throws(() => addon.prefault!("not bytes" as unknown as Uint8Array), /Uint8Array/);
});
