// Drops entries from the stdlib zip Pyodide runs from (/lib/python314.zip in the in-memory
// filesystem), so a package removed from the interpreter (its FFI) cannot be imported again from
// source. Entries are copied as they are stored (no recompression): the stdlib is ~2.5 MB and
// this runs at every boot. Plain zip only: the stdlib never needs zip64, and a zip that does is
// refused rather than half-understood.

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_MIN = 22;

interface Entry {
  name: string;
  /** The central directory record, copied with its local-header offset patched. */
  central: Buffer;
  localOffset: number;
}

/** A copy of `zip` without the entries `drop(name)` selects. */
export function filterZip(zip: Uint8Array, drop: (name: string) => boolean): { zip: Buffer; dropped: number } {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEocd(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new Error("stdlib zip: zip64 is not supported");
  const entries: Entry[] = [];
  for (let at = cdOffset, i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== CENTRAL) throw new Error(`stdlib zip: bad central directory record ${i}`);
    const nameLen = buf.readUInt16LE(at + 28);
    const size = 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString("utf8", at + 46, at + 46 + nameLen),
      central: Buffer.from(buf.subarray(at, at + size)),
      localOffset: buf.readUInt32LE(at + 42),
    });
    at += size;
  }
  // An entry's bytes (local header, data, data descriptor) run up to the next entry's header.
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  const end = new Map<Entry, number>();
  byOffset.forEach((e, i) => end.set(e, byOffset[i + 1]?.localOffset ?? cdOffset));
  const parts: Buffer[] = [];
  const kept: Buffer[] = [];
  let offset = 0;
  for (const e of byOffset) {
    if (drop(e.name)) continue;
    if (buf.readUInt32LE(e.localOffset) !== LOCAL) throw new Error(`stdlib zip: bad local header for ${e.name}`);
    const body = buf.subarray(e.localOffset, end.get(e));
    e.central.writeUInt32LE(offset, 42);
    parts.push(body);
    kept.push(e.central);
    offset += body.length;
  }
  const centralDir = Buffer.concat(kept);
  const tail = Buffer.alloc(EOCD_MIN);
  tail.writeUInt32LE(EOCD, 0);
  tail.writeUInt16LE(kept.length, 8);
  tail.writeUInt16LE(kept.length, 10);
  tail.writeUInt32LE(centralDir.length, 12);
  tail.writeUInt32LE(offset, 16);
  return { zip: Buffer.concat([...parts, centralDir, tail]), dropped: entries.length - kept.length };
}

function findEocd(buf: Buffer): number {
  // The record sits at the end, after a comment of at most 64 KiB.
  for (let at = buf.length - EOCD_MIN; at >= Math.max(0, buf.length - EOCD_MIN - 0xffff); at--) {
    if (buf.readUInt32LE(at) === EOCD) return at;
  }
  throw new Error("stdlib zip: end of central directory not found");
}
