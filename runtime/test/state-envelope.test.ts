// The stored form of a state (runtime/src/protocol/state-envelope.ts): a real checkpoint goes
// through the envelope and is entered by an executor again; another image or format version is
// refused with a typed error; damaged bytes give a typed error, never anything else.
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import type { StateBlob } from "../src/protocol/messages.ts";
import { stateBlobSchema } from "../src/protocol/schemas.ts";
import { decodeState, encodeState, peekState, STATE_FORMAT_VERSION, StateEnvelopeError } from "../src/protocol/state-envelope.ts";
import { job } from "./helpers.ts";

const IMAGE = "0123456789abcdef";

function syntheticBlob(pages: number[], id = "st_a", parent: string | null = null, format: 1 | 2 = 1): StateBlob {
  const data = Buffer.alloc(pages.length * 4096);
  pages.forEach((p, i) => data.writeUInt32LE(p * 7 + 1, i * 4096));
  return {
    id,
    parent_id: parent,
    memory_bytes: 16 * 1024 * 1024,
    page_index: pages,
    page_format: format,
    pages: deflateRawSync(data, { level: 1 }),
    fs: { removed: ["/tmp/x"], dirs: [{ path: "/workspace/d", mode: 0o40755 }], files: [{ path: "/workspace/d/f", mode: 0o100644, data_b64: "aGk=" }], links: [] },
  };
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StateEnvelopeError, `expected a StateEnvelopeError, got ${String(err)}`);
    return err.problem;
  }
  return "decoded";
}

describe("state envelope with a real executor", () => {
  let ex: ExecutorProcess;
  let root: StateBlob;
  let child: StateBlob;
  before(async () => {
    ex = await ExecutorProcess.spawn();
    const made = await ex.run(job("data = list(range(20000))\nopen('f.txt', 'w').write('root')\nn = 1", { checkpoint_id: "root" }));
    assert.equal(made.status, "ok", JSON.stringify(made.error));
    root = made.checkpoint!;
    const next = await ex.run(job("n = 2\ndata.append('child')", { base_state: "root", checkpoint_id: "child" }));
    assert.equal(next.status, "ok", JSON.stringify(next.error));
    child = next.checkpoint!;
  });
  after(() => ex.kill("killed_shutdown"));

  test("encode → decode gives back the same blob, in fewer bytes than its JSON", () => {
    for (const blob of [root, child]) {
      const packed = encodeState(blob, ex.info.image);
      assert.deepEqual(decodeState(packed, ex.info.image), blob);
      assert.deepEqual(peekState(packed), { formatVersion: STATE_FORMAT_VERSION, image: ex.info.image });
      assert.ok(packed.length < JSON.stringify(blob).length * 0.8, `${packed.length} vs ${JSON.stringify(blob).length}`);
    }
  });

  test("decoded blobs are entered by an executor (loaded under new ids, parent first)", async () => {
    const r = decodeState(encodeState(root, ex.info.image), ex.info.image);
    const c = decodeState(encodeState(child, ex.info.image), ex.info.image);
    const load = [{ ...r, id: "root2" }, { ...c, id: "child2", parent_id: "root2" }];
    const out = await ex.run(job("(n, data[-1], len(data), open('f.txt').read())", { base_state: "child2", load_states: load }));
    assert.equal(out.result, "(2, 'child', 20001, 'root')", JSON.stringify(out.error));
  });

  test("another snapshot image is refused, saying which images differ", () => {
    const other = ex.info.image.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    try {
      decodeState(encodeState(root, other), ex.info.image);
      assert.fail("decoded a state of another image");
    } catch (err) {
      assert.ok(err instanceof StateEnvelopeError);
      assert.equal(err.problem, "image");
      assert.equal(err.found, other);
      assert.equal(err.expected, ex.info.image);
      assert.match(err.message, new RegExp(other));
    }
  });
});

describe("state envelope format", () => {
  test("versions 1 and 2 are read (the build before wrote 1); any other is refused", () => {
    for (const format of [1, 2] as const) assert.equal(decodeState(encodeState(syntheticBlob([1, 2, 3], "st_a", null, format), IMAGE), IMAGE).page_format, format);
    for (const version of [0, STATE_FORMAT_VERSION + 1]) {
      const packed = encodeState(syntheticBlob([1, 2, 3]), IMAGE);
      packed.writeUInt16LE(version, 4);
      try {
        decodeState(packed, IMAGE);
        assert.fail("decoded another format version");
      } catch (err) {
        assert.ok(err instanceof StateEnvelopeError);
        assert.equal(err.problem, "format_version");
        assert.equal(err.found, version);
        assert.match(err.message, /this build reads versions 1 and 2/);
      }
    }
  });

  test("what is not an envelope, or is a damaged one, gets a typed error", () => {
    const good = encodeState(syntheticBlob([5, 9]), IMAGE);
    assert.equal(problemOf(() => decodeState(Buffer.from("{\"id\":\"x\"}"), IMAGE)), "not_a_state");
    assert.equal(problemOf(() => decodeState(Buffer.alloc(3), IMAGE)), "not_a_state");
    assert.equal(problemOf(() => decodeState(good.subarray(0, 30), IMAGE)), "corrupt");
    const longHeader = Buffer.from(good);
    longHeader.writeUInt32LE(0xffffffff, 14);
    assert.equal(problemOf(() => decodeState(longHeader, IMAGE)), "corrupt");
    const badJson = Buffer.from(good);
    badJson[18] = "]".charCodeAt(0);
    assert.equal(problemOf(() => decodeState(badJson, IMAGE)), "corrupt");
    const descending = encodeState({ ...syntheticBlob([5, 9]), page_index: [9, 5] }, IMAGE);
    assert.equal(problemOf(() => decodeState(descending, IMAGE)), "corrupt");
  });

  test("encode refuses an image that is not 16 hex digits", () => {
    assert.throws(() => encodeState(syntheticBlob([1]), "ABC"), TypeError);
  });

  test("round trip of arbitrary blobs", () => {
    const blob = fc.record({
      pages: fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 20 }), { maxLength: 40 }).map((p) => p.sort((a, b) => a - b)),
      id: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      parent: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)),
      format: fc.constantFrom(1 as const, 2 as const),
    });
    fc.assert(
      fc.property(blob, ({ pages, id, parent, format }) => {
        const b = syntheticBlob(pages, id, parent, format);
        const packed = encodeState(b, IMAGE);
        assert.equal(peekState(packed).formatVersion, format, "the envelope's version is the pages' format");
        assert.deepEqual(decodeState(packed, IMAGE), b);
      }),
      { numRuns: 100 },
    );
  });

  test("any truncation or flipped byte decodes to a valid blob or fails with a StateEnvelopeError", () => {
    const good = encodeState(syntheticBlob([1, 7, 300]), IMAGE);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, xor, truncate) => {
        const bad = truncate ? good.subarray(0, at) : Buffer.from(good);
        if (!truncate) bad[at] = bad[at]! ^ xor;
        try {
          stateBlobSchema.parse(decodeState(bad, IMAGE));
        } catch (err) {
          assert.ok(err instanceof StateEnvelopeError, `${String(err)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
