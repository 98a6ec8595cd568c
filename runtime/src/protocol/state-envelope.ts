// A state blob as it is stored and shipped between daemons: a self-describing binary envelope.
// It says what it is (magic), which layout it uses (format version) and which snapshot its page
// diffs were taken against (the executor's `image`, a hash of the post-init memory). Page diffs
// only make sense against the exact snapshot bytes they were XOR-ed with: a daemon whose image
// differs (another Pyodide version, another boot) must refuse the blob, never load it.
//
// Layout (little-endian):
//   0   4   magic "ARST"
//   4   2   format version (u16): 1 or 2, which is also how the pages are encoded (StateBlob.page_format)
//   6   8   image: the 16 hex chars as 8 bytes
//   14  4   header length H (u32)
//   18  H   header, UTF-8 JSON: { id, parent_id, memory_bytes, fs }
//   ..  4   page count N (u32)
//   ..  4N  page indices (u32, ascending)
//   ..      the pages (StateBlob.pages): version 1, raw-deflated, each XOR-ed with
//           its parent page; version 2, the spans where they differ (executor/page-spans.ts)
// This build writes version 2 and reads both, so states stored by the build before stay usable;
// a daemon of that build refuses version 2 as `state_incompatible` (format_version).
import { z } from "zod";
import type { StateBlob } from "./messages.ts";
import { CAPTURED_PAGE_FORMAT, PAGE_FORMATS } from "./page-format.ts";
import { fsDeltaSchema, MAX_PAGES, pageFormatSchema, stateIdSchema } from "./schemas.ts";

/** The version this build writes for the states its executors capture (the pages' format). */
export const STATE_FORMAT_VERSION = CAPTURED_PAGE_FORMAT;
const MAGIC = Buffer.from("ARST", "latin1");
const FIXED = 18;
const IMAGE = /^[0-9a-f]{16}$/;

export type StateEnvelopeProblem =
  /** Not an envelope at all (too short, wrong magic). */
  | "not_a_state"
  /** Another format version than this build reads. */
  | "format_version"
  /** Taken against another snapshot image than this daemon's executors run. */
  | "image"
  /** The envelope says it is a state but its contents do not hold together. */
  | "corrupt";

/** Why a stored state cannot be used here; `found`/`expected` say what differed. */
export class StateEnvelopeError extends Error {
  override readonly name = "StateEnvelopeError";
  constructor(
    readonly problem: StateEnvelopeProblem,
    message: string,
    readonly found?: string | number,
    readonly expected?: string | number,
  ) {
    super(message);
  }
}

export interface EnvelopeHead {
  formatVersion: number;
  image: string;
}

const headerSchema = z.strictObject({
  id: stateIdSchema,
  parent_id: stateIdSchema.nullable(),
  memory_bytes: z.int().positive().max(2 ** 32),
  fs: fsDeltaSchema,
});

/** Wraps a state blob taken against snapshot `image` (16 hex chars). */
export function encodeState(blob: StateBlob, image: string): Buffer {
  if (!IMAGE.test(image)) throw new TypeError(`image must be 16 hex digits, got '${image}'`);
  const header = Buffer.from(JSON.stringify({ id: blob.id, parent_id: blob.parent_id, memory_bytes: blob.memory_bytes, fs: blob.fs }), "utf8");
  const out = Buffer.allocUnsafe(FIXED + header.length + 4 + 4 * blob.page_index.length + blob.pages.length);
  MAGIC.copy(out, 0);
  out.writeUInt16LE(blob.page_format, 4);
  out.write(image, 6, "hex");
  out.writeUInt32LE(header.length, 14);
  header.copy(out, FIXED);
  let at = FIXED + header.length;
  out.writeUInt32LE(blob.page_index.length, at);
  at += 4;
  for (const page of blob.page_index) {
    out.writeUInt32LE(page, at);
    at += 4;
  }
  out.set(blob.pages, at);
  return out;
}

/** The envelope's version and image, without reading the rest. */
export function peekState(data: Uint8Array): EnvelopeHead {
  const buf = asBuffer(data);
  if (buf.length < FIXED || !buf.subarray(0, 4).equals(MAGIC)) throw new StateEnvelopeError("not_a_state", "not an Arbor state envelope");
  return { formatVersion: buf.readUInt16LE(4), image: buf.toString("hex", 6, 14) };
}

/**
 * The envelope's head, if it was taken against `expectedImage` in a format this build reads
 * (cheap: the rest is not read). Throws StateEnvelopeError otherwise.
 */
export function checkState(data: Uint8Array, expectedImage: string): EnvelopeHead {
  const head = peekState(data);
  if (!pageFormatSchema.safeParse(head.formatVersion).success) {
    throw new StateEnvelopeError(
      "format_version",
      `state format version ${head.formatVersion}; this build reads versions ${PAGE_FORMATS.join(" and ")}`,
      head.formatVersion,
      STATE_FORMAT_VERSION,
    );
  }
  if (head.image !== expectedImage) {
    throw new StateEnvelopeError(
      "image",
      `state taken against snapshot image ${head.image}; this daemon's executors run image ${expectedImage}`,
      head.image,
      expectedImage,
    );
  }
  return head;
}

/**
 * The state blob inside, if it was taken against `expectedImage` in a format this build reads,
 * its pages a view into `data` (not a copy). Throws StateEnvelopeError otherwise: the caller
 * refuses the state and never loads it.
 */
export function decodeState(data: Uint8Array, expectedImage: string): StateBlob {
  const buf = asBuffer(data);
  const { formatVersion } = checkState(buf, expectedImage);
  const headerLength = buf.readUInt32LE(14);
  if (FIXED + headerLength + 4 > buf.length) throw corrupt("header runs past the end");
  let header: z.output<typeof headerSchema>;
  try {
    header = headerSchema.parse(JSON.parse(buf.toString("utf8", FIXED, FIXED + headerLength)));
  } catch (err) {
    throw corrupt(`bad header (${err instanceof Error ? err.message.slice(0, 200) : String(err)})`);
  }
  let at = FIXED + headerLength;
  const count = buf.readUInt32LE(at);
  at += 4;
  if (count > MAX_PAGES || at + 4 * count > buf.length) throw corrupt("page index runs past the end");
  const pageIndex = new Array<number>(count);
  for (let i = 0; i < count; i++, at += 4) {
    const page = buf.readUInt32LE(at);
    if (page > MAX_PAGES || (i > 0 && page <= pageIndex[i - 1]!)) throw corrupt("page index is not ascending");
    pageIndex[i] = page;
  }
  return {
    id: header.id,
    parent_id: header.parent_id,
    memory_bytes: header.memory_bytes,
    page_index: pageIndex,
    page_format: pageFormatSchema.parse(formatVersion),
    pages: buf.subarray(at),
    fs: header.fs,
  };
}

function corrupt(why: string): StateEnvelopeError {
  return new StateEnvelopeError("corrupt", `corrupt state envelope: ${why}`);
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
