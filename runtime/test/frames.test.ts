// Pipe framing (runtime/src/protocol/frames.ts): plain JSON frames both ways, and frames whose
// bytes (a state's pages, either way) travel beside the JSON. Read back through the executor's
// real synchronous channel from a file descriptor.
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { SyncChannel } from "../src/executor/channel.ts";
import { encodeFrame, EXECUTOR_CAPS, FrameDecoder, frameParts, MAX_FRAME_BYTES, parseFrame, readFrameHeader } from "../src/protocol/frames.ts";

const header = (frame: Buffer) => readFrameHeader(frame, EXECUTOR_CAPS)!;

/** Frames written to a file, read back with the executor's channel. */
function readBack(...frames: Buffer[]): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), "arbor-frames-"));
  const file = join(dir, "pipe");
  writeFileSync(file, Buffer.concat(frames));
  const fd = openSync(file, "r");
  try {
    const channel = new SyncChannel(fd);
    const out: unknown[] = [];
    for (let msg = channel.receive(); msg !== null; msg = channel.receive()) out.push(msg);
    return out;
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true });
  }
}

test("without attach, bytes stay in the JSON as before (tool host frames, executor frames)", () => {
  const frame = encodeFrame({ body: Buffer.from([1, 2]) });
  assert.equal(header(frame).attachmentBytes, null);
  assert.deepEqual(new FrameDecoder().push(frame), [{ body: { type: "Buffer", data: [1, 2] } }]);
});

test("a message without bytes is a plain JSON frame, read the same by both ends", () => {
  const message = { t: "run", id: 7, job: { code: "print(1)", files: [{ path: "a", content_b64: "AAEC" }] } };
  const frame = encodeFrame(message);
  assert.equal(header(frame).attachmentBytes, null);
  assert.equal(header(frame).jsonBytes, frame.length - 4);
  assert.deepEqual(new FrameDecoder().push(frame), [message]);
  assert.deepEqual(readBack(frame), [message]);
});

test("Uint8Arrays travel beside the JSON and come back as the same bytes, in place", () => {
  const pages = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff));
  const other = Uint8Array.of(1, 2, 3);
  // Code that looks like a reference stays a string: only objects in the JSON are revived.
  const code = '{"$bytes": [0, 3]}';
  const message = { t: "run", id: 1, job: { code, load_states: [{ id: "s1", pages }, { id: "s2", pages: other }] } };
  const frame = encodeFrame(message, true);
  const head = header(frame);
  assert.equal(head.headBytes, 8);
  assert.equal(head.attachmentBytes, pages.length + other.length);
  assert.ok(!frame.subarray(8, 8 + head.jsonBytes).toString("utf8").includes(pages.toString("base64").slice(0, 40)), "no base64 in the JSON");
  const [got, next] = readBack(frame, encodeFrame({ t: "ping", id: 2 })) as [any, any];
  assert.equal(got.job.code, code);
  assert.ok(Buffer.isBuffer(got.job.load_states[0].pages));
  assert.ok(got.job.load_states[0].pages.equals(pages));
  assert.deepEqual([...got.job.load_states[1].pages], [1, 2, 3]);
  assert.deepEqual(next, { t: "ping", id: 2 }, "the frame after it is read from the right offset");
});

test("frameParts: the attached bytes are the caller's own (views, not copies), and the parts in order are the frame", () => {
  const pages = Buffer.from(Array.from({ length: 5000 }, (_, i) => i & 0xff));
  const stored = Buffer.concat([Buffer.alloc(100), pages]).subarray(100); // a view, as an envelope's pages are
  const message = { t: "run", id: 9, job: { code: "x", load_states: [{ id: "s", pages: stored }] } };
  const parts = frameParts(message, true);
  assert.equal(parts.length, 2);
  assert.equal(parts[1]!.buffer, stored.buffer, "the same memory");
  assert.equal(parts[1]!.byteOffset, stored.byteOffset);
  assert.ok(Buffer.concat(parts).equals(encodeFrame(message, true)));
  assert.equal(frameParts({ t: "ping", id: 1 }).length, 1, "a frame without bytes is one piece");
  const [got] = readBack(Buffer.concat(parts)) as [any];
  assert.ok(got.job.load_states[0].pages.equals(pages));
});

test("a decoder refuses a frame with an attachment unless it was told to take them (the tool host's pipes)", () => {
  const frame = encodeFrame({ t: "result", pages: Uint8Array.of(1) }, true);
  assert.throws(() => new FrameDecoder().push(frame), /carries an attachment; this end takes none/);
});

test("a checkpoint's pages come back to the daemon beside the JSON, whatever the chunks, frame after frame", () => {
  const pages = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 13) & 0xff));
  const message = { t: "result", id: 3, outcome: { stdout: '{"$bytes": [0, 1]}', checkpoint: { id: "st_a", pages } } };
  const frames = Buffer.concat([encodeFrame(message, true), encodeFrame({ t: "pong", id: 4 }), encodeFrame({ t: "result", id: 5, outcome: { checkpoint: { pages: new Uint8Array(0) } } }, true)]);
  for (const size of [1, 7, 4096, frames.length]) {
    const decoder = new FrameDecoder(1 << 20, 1 << 20);
    const got: any[] = [];
    for (let at = 0; at < frames.length; at += size) got.push(...decoder.push(frames.subarray(at, at + size)));
    assert.equal(got.length, 3, `chunks of ${size}`);
    assert.equal(got[0].outcome.stdout, '{"$bytes": [0, 1]}', "a string that looks like a reference stays a string");
    assert.ok(Buffer.isBuffer(got[0].outcome.checkpoint.pages) && got[0].outcome.checkpoint.pages.equals(pages), `chunks of ${size}`);
    assert.deepEqual(got[1], { t: "pong", id: 4 });
    assert.equal(got[2].outcome.checkpoint.pages.length, 0);
  }
});

test("an attachment over the decoder's cap is refused from its header, before its bytes arrive", () => {
  const frame = encodeFrame({ t: "result", pages: new Uint8Array(2048) }, true);
  assert.throws(() => new FrameDecoder(1 << 20, 1024).push(frame.subarray(0, 8)), /attachment of 2048 bytes exceeds the 1024-byte cap/);
  assert.throws(() => new FrameDecoder(16, 1 << 20).push(frame.subarray(0, 4)), /exceeds the 16-byte cap/);
});

test("the executor's channel refuses an oversized frame from its header, as the daemon's decoder does", () => {
  const tooLong = Buffer.alloc(8);
  tooLong.writeUInt32LE(MAX_FRAME_BYTES + 1, 0);
  assert.throws(() => readBack(tooLong), /frame of 67108865 bytes exceeds the 67108864-byte cap/);
  assert.throws(() => new FrameDecoder().push(tooLong), /frame of 67108865 bytes exceeds the 67108864-byte cap/);
  const head = readFrameHeader(encodeFrame({ p: Uint8Array.of(1) }, true).subarray(0, 4), EXECUTOR_CAPS);
  assert.equal(head, null, "an attachment's length not read yet: no header");
});

test("a reference outside the attachment is an error, not a read past it", () => {
  assert.throws(() => parseFrame('{"p":{"$bytes":[2,5]}}', Buffer.alloc(4)), /outside/);
  assert.throws(() => parseFrame('{"p":{"$bytes":[-1,1]}}', Buffer.alloc(4)), /outside/);
  assert.deepEqual(parseFrame('{"p":{"$bytes":[1,2]}}', Buffer.from([9, 8, 7, 6])), { p: Buffer.from([8, 7]) });
});
