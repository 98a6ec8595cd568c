// Framing on the executor pipe: a 4-byte little-endian length, then that many bytes of UTF-8
// JSON. Small and allocation-light: one round trip costs tens of microseconds.
//
// Between the daemon and an executor a frame may carry bytes beside its JSON: a state's pages,
// sent to an executor or coming back as a checkpoint (base64 inside the JSON cost ~25 ms of
// parsing and decoding per MiB in a cold executor, spikes/15-fork-warm-up; a 1,000-page
// checkpoint ~4 ms of encoding in the executor and ~6 ms of parsing in the daemon,
// spikes/23-large-checkpoint). Then the length's top bit is set, a second length follows (the
// attachment's), then the JSON, then the attachment; in the JSON each Uint8Array of the message
// stands as {"$bytes": [offset, length]} into it. A decoder takes attachments only when told to
// (the tool host's pipes carry none).

export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** An attachment carries the states a call needs (each under the executors' 64 MiB result cap): a chain may hold several. */
export const MAX_ATTACHMENT_BYTES = 1024 * 1024 * 1024;
/**
 * An executor's attachment: the packed pages of the checkpoint its answer carries. The executor
 * refuses to keep a larger state (a StateError, execute.ts), so the daemon never sees one.
 */
export const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;
const ATTACHED = 0x8000_0000;

/**
 * `attach`: move the message's Uint8Arrays into an attachment (only for a reader that takes one:
 * the executor's channel, the daemon's decoder of executor frames). Without it they are JSON like
 * any object, as everywhere else.
 */
export function encodeFrame(message: unknown, attach = false): Buffer {
  const parts = frameParts(message, attach);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/**
 * The frame as the pieces to write in order: its header and JSON, then the attached bytes as
 * they are (views, not copies). The pipes' writers send these one after the other: copying a
 * large state's pages into one frame buffer first cost ~7-11 µs per 4 KiB page of fresh memory
 * on this kind of VM (22 ms for a 6.8 MB state, spikes/23-large-checkpoint).
 */
export function frameParts(message: unknown, attach = false): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const at = { bytes: 0 };
  const json = JSON.stringify(attach ? detach(message, parts, at) : message);
  const attached = at.bytes;
  const jsonBytes = Buffer.byteLength(json, "utf8");
  if (parts.length === 0) {
    const frame = Buffer.allocUnsafe(4 + jsonBytes);
    frame.writeUInt32LE(jsonBytes, 0);
    frame.write(json, 4, "utf8");
    return [frame];
  }
  if (jsonBytes > MAX_FRAME_BYTES || attached > MAX_ATTACHMENT_BYTES) throw new Error(`frame of ${jsonBytes} + ${attached} bytes exceeds the caps`);
  const head = Buffer.allocUnsafe(8 + jsonBytes);
  head.writeUInt32LE((jsonBytes | ATTACHED) >>> 0, 0);
  head.writeUInt32LE(attached, 4);
  head.write(json, 8, "utf8");
  return [head, ...parts];
}

/**
 * The message with each Uint8Array replaced by its reference into `parts`. A walk before
 * JSON.stringify, not a replacer: stringify calls a Buffer's toJSON before any replacer sees it,
 * and that built a 620,000-number array for a 620 KB state (~20 ms, 1,300 page faults).
 */
function detach(value: unknown, parts: Uint8Array[], at: { bytes: number }): unknown {
  if (value instanceof Uint8Array) {
    parts.push(value);
    at.bytes += value.byteLength;
    return { $bytes: [at.bytes - value.byteLength, value.byteLength] };
  }
  if (Array.isArray(value)) return value.some((v) => typeof v === "object" && v !== null) ? value.map((v) => detach(v, parts, at)) : value;
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = detach(v, parts, at);
  return out;
}

/** What a frame reader takes: the JSON's and the attachment's largest lengths (0: no attachment at all). */
export interface FrameCaps {
  maxFrameBytes: number;
  maxAttachmentBytes: number;
}

/** The executor's end: whatever the daemon sends it (a job's states ride in the attachment). */
export const EXECUTOR_CAPS: FrameCaps = { maxFrameBytes: MAX_FRAME_BYTES, maxAttachmentBytes: MAX_ATTACHMENT_BYTES };

export interface FrameHeader {
  /** 4, or 8 when an attachment's length follows the first word. */
  headBytes: number;
  jsonBytes: number;
  /** null: the frame carries no attachment (an empty one is 0). */
  attachmentBytes: number | null;
}

/**
 * A frame's header from the bytes at `buf`'s start, checked against `caps` before its body is
 * read or waited for. null while `buf` does not hold the whole header yet (4 or 8 bytes). Throws on
 * a frame this end does not take. Both ends read headers here: the executor's blocking channel
 * and the daemon's stream decoder.
 */
export function readFrameHeader(buf: Uint8Array, caps: FrameCaps): FrameHeader | null {
  if (buf.length < 4) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const word = view.getUint32(0, true);
  const jsonBytes = (word & ~ATTACHED) >>> 0;
  if (jsonBytes > caps.maxFrameBytes) throw new Error(`frame of ${jsonBytes} bytes exceeds the ${caps.maxFrameBytes}-byte cap`);
  if ((word & ATTACHED) === 0) return { headBytes: 4, jsonBytes, attachmentBytes: null };
  if (caps.maxAttachmentBytes === 0) throw new Error("frame carries an attachment; this end takes none");
  if (buf.length < 8) return null;
  const attachmentBytes = view.getUint32(4, true);
  if (attachmentBytes > caps.maxAttachmentBytes) throw new Error(`frame attachment of ${attachmentBytes} bytes exceeds the ${caps.maxAttachmentBytes}-byte cap`);
  return { headBytes: 8, jsonBytes, attachmentBytes };
}

/** Parses a frame's JSON, putting the attachment's bytes back where the message had them. */
export function parseFrame(json: string, attachment: Buffer | null): unknown {
  if (!attachment) return JSON.parse(json);
  return JSON.parse(json, (_key, value: unknown) => {
    const at = (value as { $bytes?: unknown } | null)?.$bytes;
    if (!Array.isArray(at) || at.length !== 2) return value;
    const [offset, length] = at as [number, number];
    if (!(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0 && offset + length <= attachment.length)) {
      throw new Error(`frame: attachment reference [${offset}, ${length}] outside its ${attachment.length} bytes`);
    }
    return attachment.subarray(offset, offset + length);
  });
}

/**
 * Incremental decoder for the stream side (the daemon). Chunks are only joined once a whole
 * frame is there, so a large frame arriving in many chunks is copied once, not once per chunk.
 * `maxAttachmentBytes`: 0 refuses any frame that carries an attachment.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The frame being collected, once its header is known. */
  private frame: FrameHeader | null = null;
  private readonly caps: FrameCaps;

  constructor(maxFrameBytes = MAX_FRAME_BYTES, maxAttachmentBytes = 0) {
    this.caps = { maxFrameBytes, maxAttachmentBytes };
  }

  /** Feeds bytes; returns the complete frames' parsed messages. Throws on an oversized or bad frame. */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    for (;;) {
      const frame = this.frame ?? (this.frame = this.buffered < 4 ? null : readFrameHeader(this.joined(), this.caps));
      if (!frame) break;
      const jsonEnd = frame.headBytes + frame.jsonBytes;
      const total = jsonEnd + (frame.attachmentBytes ?? 0);
      if (this.buffered < total) break;
      const buf = this.joined();
      // A view, not a copy: what the daemon keeps of a checkpoint's pages it copies into the
      // state's envelope.
      const attachment = frame.attachmentBytes === null ? null : buf.subarray(jsonEnd, total);
      out.push(parseFrame(buf.toString("utf8", frame.headBytes, jsonEnd), attachment));
      const rest = buf.subarray(total);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.frame = null;
    }
    return out;
  }

  private joined(): Buffer {
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [buf];
    return buf;
  }
}
