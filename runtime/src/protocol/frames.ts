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

/**
 * Incremental decoder for the stream side (the daemon). Chunks are only joined once a whole
 * frame is there, so a large frame arriving in many chunks is copied once, not once per chunk.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the frame being collected (body + 4), once its header is known. */
  private need = 4;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Feeds bytes; returns the complete frames' parsed JSON. Throws on an oversized or bad frame. */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    while (this.buffered >= this.need) {
      const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      this.chunks = [buf];
      if (this.need === 4 || buf.length < this.need) {
        const len = buf.readUInt32LE(0);
        if (len > this.maxFrameBytes) throw new Error(`frame of ${len} bytes exceeds the ${this.maxFrameBytes}-byte cap`);
        this.need = 4 + len;
        if (buf.length < this.need) break;
      }
      out.push(JSON.parse(buf.toString("utf8", 4, this.need)));
      const rest = buf.subarray(this.need);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.need = 4;
    }
    return out;
  }
}
