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

/** The first 4 bytes of a frame: its JSON's length, and whether an attachment length follows. */
export function frameHeader(header: Buffer): { jsonBytes: number; attached: boolean } {
  const word = header.readUInt32LE(0);
  return { jsonBytes: (word & ~ATTACHED) >>> 0, attached: (word & ATTACHED) !== 0 };
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
  private frame: { attached: boolean; headBytes: number; jsonBytes: number; attachmentBytes: number } | null = null;

  constructor(
    private readonly maxFrameBytes = MAX_FRAME_BYTES,
    private readonly maxAttachmentBytes = 0,
  ) {}

  /** Feeds bytes; returns the complete frames' parsed messages. Throws on an oversized or bad frame. */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    for (;;) {
      const frame = this.frame ?? this.readHeader();
      if (!frame) break;
      const total = frame.headBytes + frame.jsonBytes + frame.attachmentBytes;
      if (this.buffered < total) break;
      const buf = this.joined();
      const jsonEnd = frame.headBytes + frame.jsonBytes;
      // A view, not a copy: what the daemon keeps of a checkpoint's pages it copies into the
      // state's envelope.
      const attachment = frame.attached ? buf.subarray(jsonEnd, total) : null;
      out.push(parseFrame(buf.toString("utf8", frame.headBytes, jsonEnd), attachment));
      const rest = buf.subarray(total);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.frame = null;
    }
    return out;
  }

  /** The next frame's header, once its bytes are there; checked against the caps before its body is waited for. */
  private readHeader(): FrameDecoder["frame"] {
    if (this.buffered < 4) return null;
    const buf = this.joined();
    const { jsonBytes, attached } = frameHeader(buf);
    if (attached && this.maxAttachmentBytes === 0) throw new Error("frame carries an attachment; this end takes none");
    if (jsonBytes > this.maxFrameBytes) throw new Error(`frame of ${jsonBytes} bytes exceeds the ${this.maxFrameBytes}-byte cap`);
    if (attached && buf.length < 8) return null;
    const attachmentBytes = attached ? buf.readUInt32LE(4) : 0;
    if (attachmentBytes > this.maxAttachmentBytes) throw new Error(`frame attachment of ${attachmentBytes} bytes exceeds the ${this.maxAttachmentBytes}-byte cap`);
    this.frame = { attached, headBytes: attached ? 8 : 4, jsonBytes, attachmentBytes };
    return this.frame;
  }

  private joined(): Buffer {
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [buf];
    return buf;
  }
}
