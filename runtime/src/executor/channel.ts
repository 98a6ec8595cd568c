// The executor's end of the pipe, fully synchronous: the executor's main loop never returns to
// the event loop, so nothing asynchronous (timers, promises Python might schedule) ever runs in
// it, and a host call can block Python until the daemon answers.
import { readSync, writeSync } from "node:fs";
import { EXECUTOR_CAPS, frameParts, parseFrame, readFrameHeader } from "../protocol/frames.ts";
import type { FromExecutor, ToExecutor } from "../protocol/messages.ts";

export const CHANNEL_FD = 3;

export class SyncChannel {
  private readonly header = Buffer.alloc(8);

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
    // The first word, then the attachment's length when the first word says one follows.
    if (!this.readExactly(this.header.subarray(0, 4))) return null;
    let header = readFrameHeader(this.header.subarray(0, 4), EXECUTOR_CAPS);
    if (!header) {
      if (!this.readExactly(this.header.subarray(4, 8))) return null;
      header = readFrameHeader(this.header, EXECUTOR_CAPS)!;
    }
    const { jsonBytes, attachmentBytes } = header;
    const body = Buffer.allocUnsafe(jsonBytes);
    if (!this.readExactly(body)) return null;
    // Its own buffer: the states' pages kept from it do not hold the JSON (code, files) alive.
    const attachment = attachmentBytes === null ? null : this.allocate(attachmentBytes);
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
