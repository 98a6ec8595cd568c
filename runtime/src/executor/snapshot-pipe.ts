// The Pyodide memory snapshot crosses between daemon and executor on an extra pipe (fd 4), as
// raw bytes: the executor needs no path to read (it may not be able to see the daemon's cache
// directory once confined), and nothing is parsed on the way.
import { readSync, writeSync, closeSync } from "node:fs";

export const SNAPSHOT_FD = 4;

/** Reads fd 4 to its end (the daemon closes it after the snapshot). */
export function readSnapshot(): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    let n: number;
    try {
      n = readSync(SNAPSHOT_FD, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      continue;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
  }
  closeSync(SNAPSHOT_FD);
  return Buffer.concat(chunks, total);
}

/** Writes the snapshot to fd 4 and closes it (the snapshot maker's only output). */
export function writeSnapshot(bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) {
    try {
      off += writeSync(SNAPSHOT_FD, bytes, off, Math.min(bytes.length - off, 1 << 20));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
  closeSync(SNAPSHOT_FD);
}
