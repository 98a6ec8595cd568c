// The zod shape of a state blob's parts (runtime/src/interpreter/states.ts: StateBlob), for
// whatever reads a blob from outside the process: an executor's checkpoint, a stored envelope
// (state-envelope.ts). Bounds keep a hostile blob from costing more than a real one could.
import { z } from "zod";

export const MAX_STATE_ID = 64;
/** 4 KiB host pages in a 4 GiB wasm32 memory. */
export const MAX_PAGES = 2 ** 20;

export const fsDeltaSchema = z.strictObject({
  removed: z.array(z.string().max(4096)).max(100_000),
  dirs: z.array(z.strictObject({ path: z.string().max(4096), mode: z.int() })).max(100_000),
  files: z.array(z.strictObject({ path: z.string().max(4096), mode: z.int(), data_b64: z.string() })).max(100_000),
  links: z.array(z.strictObject({ path: z.string().max(4096), target: z.string().max(4096) })).max(100_000),
});

export const stateIdSchema = z.string().min(1).max(MAX_STATE_ID);

export const stateBlobSchema = z.strictObject({
  id: stateIdSchema,
  parent_id: stateIdSchema.nullable(),
  memory_bytes: z.int().positive().max(2 ** 32),
  page_index: z.array(z.int().nonnegative().max(MAX_PAGES)).max(MAX_PAGES),
  pages_b64: z.string(),
  fs: fsDeltaSchema,
});
