// Framing on the executor pipe: a 4-byte little-endian length, then that many bytes of UTF-8
// JSON. Small and allocation-light: one round trip costs tens of microseconds.

export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Incremental decoder for the stream side (the daemon). */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Feeds bytes; returns the complete frames' parsed JSON. Throws on an oversized or bad frame. */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    let offset = 0;
    while (buf.length - offset >= 4) {
      const len = buf.readUInt32LE(offset);
      if (len > this.maxFrameBytes) throw new Error(`frame of ${len} bytes exceeds the ${this.maxFrameBytes}-byte cap`);
      if (buf.length - offset - 4 < len) break;
      out.push(JSON.parse(buf.toString("utf8", offset + 4, offset + 4 + len)));
      offset += 4 + len;
    }
    buf = buf.subarray(offset);
    this.chunks = buf.length ? [buf] : [];
    this.buffered = buf.length;
    return out;
  }
}
