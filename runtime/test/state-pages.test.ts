// The byte work of entering a state (state-pages.ts): the native codec (the addon's inflate into
// pre-faulted memory, XOR in C) and the JS one must agree byte for byte, and both must refuse page
// data that is not exactly what a state's index says, with an error that names the problem.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { statePages } from "../src/executor/state-pages.ts";
import { loadNative } from "../src/restore/native.ts";

const PAGE = 4096;

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

test("prefault leaves the bytes as they were, the partial pages at either end included", () => {
  const addon = loadNative().addon!;
  const backing = randomBytes(6 * PAGE + 300);
  const copy = Buffer.from(backing);
  addon.prefault!(backing.subarray(123, backing.length - 77));
  assert.ok(backing.equals(copy));
  assert.throws(() => addon.prefault!("not bytes" as unknown as Uint8Array), /Uint8Array/);
});
