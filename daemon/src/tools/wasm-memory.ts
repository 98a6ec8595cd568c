// The memory limit of a tool: every linear memory a core module of the component defines gets a
// maximum (memory_mb), written into the module's memory section before it is compiled. A
// memory.grow past it then fails inside the guest (its allocator reports out-of-memory and the
// guest traps), instead of the tool host's process growing without bound.
const WASM_PAGE = 65536;

function readU32(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos++];
    if (byte === undefined) throw new Error("truncated LEB128");
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result >>> 0, pos];
    shift += 7;
    if (shift > 35) throw new Error("LEB128 too long");
  }
}

function readU64(b: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = b[pos++];
    if (byte === undefined) throw new Error("truncated LEB128");
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function writeU32(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

interface Section {
  id: number;
  start: number; // first byte of the contents
  end: number;
}

function sections(b: Uint8Array): Section[] {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw new Error("not a core WebAssembly module");
  const out: Section[] = [];
  let pos = 8;
  while (pos < b.length) {
    const id = b[pos++]!;
    const [size, p] = readU32(b, pos);
    out.push({ id, start: p, end: p + size });
    pos = p + size;
  }
  if (pos !== b.length) throw new Error("truncated section");
  return out;
}

export interface MemoryLimits {
  /** Pages of the memories the module defines (not imports). */
  initialPages: number[];
}

/** Initial sizes of the memories a core module defines. */
export function definedMemories(b: Uint8Array): MemoryLimits {
  const mem = sections(b).find((s) => s.id === 5);
  if (!mem) return { initialPages: [] };
  const pages: number[] = [];
  let [count, pos] = readU32(b, mem.start);
  for (; count > 0; count--) {
    const flags = b[pos++]!;
    let initial: bigint;
    // LEB128 decodes the same for 32- and 64-bit limits.
    [initial, pos] = readU64(b, pos);
    if (flags & 0x01) [, pos] = readU64(b, pos);
    if (flags & 0x08) [, pos] = readU32(b, pos); // custom page size
    pages.push(Number(initial));
  }
  return { initialPages: pages };
}

/**
 * The module with every defined 32-bit memory capped at `maxPages` (a lower existing maximum is
 * kept). @throws when a memory starts above the cap.
 */
export function capMemories(b: Uint8Array, maxPages: number): Uint8Array {
  const secs = sections(b);
  const mem = secs.find((s) => s.id === 5);
  if (!mem) return b;
  const body: number[] = [];
  let [count, pos] = readU32(b, mem.start);
  body.push(...writeU32(count));
  for (; count > 0; count--) {
    const flags = b[pos++]!;
    if ((flags & 0x04) !== 0 || (flags & 0x08) !== 0) {
      // memory64 or custom page sizes: copy the rest of the section untouched.
      body.push(flags, ...b.subarray(pos, mem.end));
      pos = mem.end;
      break;
    }
    let initial: number;
    let max: number | null = null;
    [initial, pos] = readU32(b, pos);
    if (flags & 0x01) [max, pos] = readU32(b, pos);
    if (initial > maxPages) {
      throw new Error(`its memory starts at ${Math.ceil((initial * WASM_PAGE) / 2 ** 20)} MiB, above memory_mb (${Math.floor((maxPages * WASM_PAGE) / 2 ** 20)})`);
    }
    const cap = max === null ? maxPages : Math.min(max, maxPages);
    body.push(flags | 0x01, ...writeU32(initial), ...writeU32(cap));
  }
  const head = b.subarray(0, mem.start - sectionHeaderLength(b, mem));
  const tail = b.subarray(mem.end);
  const section = [5, ...writeU32(body.length), ...body];
  const out = new Uint8Array(head.length + section.length + tail.length);
  out.set(head, 0);
  out.set(section, head.length);
  out.set(tail, head.length + section.length);
  return out;
}

function sectionHeaderLength(b: Uint8Array, s: Section): number {
  // id byte + the LEB128 of the size that precedes s.start
  let n = 1;
  for (let p = s.start - 1; p > 0 && (b[p - 1]! & 0x80) !== 0; p--) n++;
  return n + 1;
}

export const pagesFor = (mb: number): number => Math.floor((mb * 2 ** 20) / WASM_PAGE);
export const WASM_PAGE_BYTES = WASM_PAGE;
