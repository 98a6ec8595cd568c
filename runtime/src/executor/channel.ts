// The executor's end of the pipe, fully synchronous: the executor's main loop never returns to
// the event loop, so nothing asynchronous (timers, promises Python might schedule) ever runs in
// it, and a host call can block Python until the daemon answers.
import { readSync, writeSync } from "node:fs";
import { frameHeader, frameParts, MAX_ATTACHMENT_BYTES, MAX_FRAME_BYTES, parseFrame } from "../protocol/frames.ts";
import type { FromExecutor, ToExecutor } from "../protocol/messages.ts";

export const CHANNEL_FD = 3;

export class SyncChannel {
  private readonly header = Buffer.alloc(4);

  /**
   * `allocate`: where an attachment (a state's pages) is read into. The executor passes
   * state-pages.ts' fresh(), whose pages are resident before the read (one fault per page of a
   * fresh buffer costs ~11 µs on this kind of VM; spikes/16-state-pages).
   */
  constructor(
    private readonly fd = CHANNEL_FD,
    private readonly allocate: (bytes: number) => Buffer = Buffer.allocUnsafe,
  ) {}

  send(message: FromExecutor): void {
    // A checkpoint's pages travel beside the JSON, as the daemon's do the other way.
    for (const part of frameParts(message, message.t === "result" && message.outcome.checkpoint !== undefined)) {
      let off = 0;
      while (off < part.length) off += writeSync(this.fd, part, off, part.length - off);
    }
  }

  /** Blocks until a whole message arrives; null when the daemon closed the pipe. */
  receive(): ToExecutor | null {
    if (!this.readExactly(this.header)) return null;
    const { jsonBytes, attached } = frameHeader(this.header);
    let attachmentBytes = 0;
    if (attached) {
      if (!this.readExactly(this.header)) return null;
      attachmentBytes = this.header.readUInt32LE(0);
    }
    if (jsonBytes > MAX_FRAME_BYTES || attachmentBytes > MAX_ATTACHMENT_BYTES) throw new Error(`frame of ${jsonBytes} + ${attachmentBytes} bytes exceeds the caps`);
    const body = Buffer.allocUnsafe(jsonBytes);
    if (!this.readExactly(body)) return null;
    // Its own buffer: the states' pages kept from it do not hold the JSON (code, files) alive.
    const attachment = attached ? this.allocate(attachmentBytes) : null;
    if (attachment && !this.readExactly(attachment)) return null;
    return parseFrame(body.toString("utf8"), attachment) as ToExecutor;
  }

  private readExactly(buf: Buffer): boolean {
    let off = 0;
    while (off < buf.length) {
      let n: number;
      try {
        n = readSync(this.fd, buf, off, buf.length - off, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        throw e;
      }
      if (n === 0) return false;
      off += n;
    }
    return true;
  }
}
