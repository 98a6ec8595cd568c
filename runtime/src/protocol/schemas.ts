// The executor protocol, as zod schemas: the one source of its shapes. The types in
// messages.ts are inferred from these, and the daemon parses every message from an executor
// with them (host/validate.ts): an executor is a hostile peer. Bounds keep a hostile message
// from costing more than a real one could.
import { z } from "zod";
import { PAGE_FORMATS } from "./page-format.ts";

/** How a call ended, as every answer says it (the wire's EvalResponse status). */
export const CALL_STATUSES = ["ok", "error", "timeout", "memory_limit", "output_limit", "crashed"] as const;
export const callStatusSchema = z.enum(CALL_STATUSES);

export const MAX_STATE_ID = 64;
/** 4 KiB host pages in a 4 GiB wasm32 memory. */
export const MAX_PAGES = 2 ** 20;

export const inputFileSchema = z.strictObject({ path: z.string().max(4096), content_b64: z.string() });
export const pythonErrorSchema = z.strictObject({ type: z.string().max(256), message: z.string(), traceback: z.string() });

/** A state's filesystem, as changes against the snapshot's tree. */
export const fsDeltaSchema = z.strictObject({
  removed: z.array(z.string().max(4096)).max(100_000),
  dirs: z.array(z.strictObject({ path: z.string().max(4096), mode: z.int() })).max(100_000),
  files: z.array(z.strictObject({ path: z.string().max(4096), mode: z.int(), data_b64: z.string() })).max(100_000),
  links: z.array(z.strictObject({ path: z.string().max(4096), target: z.string().max(4096) })).max(100_000),
});

export const stateIdSchema = z.string().min(1).max(MAX_STATE_ID);

/**
 * A checkpointed state: the 4 KiB pages of linear memory that differ from its parent, encoded
 * as `page_format` says (page-format.ts; format 2 keeps only the runs of 8-byte words that
 * differ, deflated: a state costs about what it really changed), plus the filesystem's delta
 * from the snapshot. Its pages travel as bytes beside the frame's JSON, both ways (frames.ts):
 * as base64 inside the JSON, a 1,000-page state cost the executor ~4 ms to encode and the daemon
 * ~6 ms to parse.
 */
/** How a state's pages are encoded (page-format.ts). */
export const pageFormatSchema = z.literal([...PAGE_FORMATS]);

export const stateBlobSchema = z.strictObject({
  id: stateIdSchema,
  parent_id: stateIdSchema.nullable(),
  /** Linear memory size the state needs (it may have grown past the snapshot). */
  memory_bytes: z.int().positive().max(2 ** 32),
  /** Host-page indices of the pages, ascending. */
  page_index: z.array(z.int().nonnegative().max(MAX_PAGES)).max(MAX_PAGES),
  page_format: pageFormatSchema,
  pages: z.custom<Uint8Array>((v) => v instanceof Uint8Array, "pages must be bytes"),
  fs: fsDeltaSchema,
});

/** One call, as the executor runs it. Limits are already resolved by the daemon. */
export const jobSchema = z.strictObject({
  code: z.string(),
  timeout_ms: z.int().positive(),
  memory_mb: z.int().positive(),
  max_output_bytes: z.int().positive(),
  stdin: z.string().optional(),
  files: z.array(inputFileSchema).optional(),
  return_files: z.boolean().optional(),
  seed: z.int().optional(),
  /** Run on a fresh copy of this state instead of the snapshot. */
  base_state: stateIdSchema.optional(),
  /** Keep the state this call leaves, under this id (the outcome carries it back). */
  checkpoint_id: stateIdSchema.optional(),
  /** States this executor does not hold yet, ancestors first (loaded before the call). */
  load_states: z.array(stateBlobSchema).optional(),
  /** States this executor may drop (deleted or evicted by the daemon). */
  forget_states: z.array(stateIdSchema).optional(),
});

export const outcomeSchema = z.strictObject({
  status: callStatusSchema,
  stdout: z.string(),
  stderr: z.string(),
  result: z.string().nullable(),
  error: pythonErrorSchema.nullable(),
  files: z.array(inputFileSchema).max(10_000).optional(),
  truncated: z.boolean(),
  timing: z.strictObject({
    restore_ms: z.number().nonnegative(),
    exec_ms: z.number().nonnegative(),
    /** How long this job waited for the previous call's restore to finish before it could start. */
    restore_wait_ms: z.number().nonnegative().optional(),
    /** Capturing the state the call left (compare, XOR, compress), when it asked for a checkpoint. */
    checkpoint_ms: z.number().nonnegative().optional(),
  }),
  /** Bytes of linear memory at the end of the call (before its restore). */
  memory_bytes: z.number().int().nonnegative(),
  /** The kept state, when the job asked for a checkpoint and the call left a usable state. */
  checkpoint: stateBlobSchema.optional(),
});

export const engineInfoSchema = z.strictObject({ name: z.string().max(64), version: z.string().max(64) });

export const executorInfoSchema = z.strictObject({
  pid: z.number().int(),
  engine: engineInfoSchema,
  strategy: z.string().max(32),
  strategy_reason: z.string().max(2000),
  /** How the wall-time limit stops a call: a native deadline thread, or node:vm's timeout (fallback). */
  call_guard: z.enum(["native", "vm"]),
  call_guard_reason: z.string().max(2000),
  /** The idle executor's poll for its next job, in microseconds; 0 when off or unavailable. */
  idle_spin_us: z.number().int().nonnegative(),
  boot_ms: z.number().nonnegative(),
  baseline_bytes: z.number().int().positive(),
  /** Hash of the post-init snapshot; every executor of one build reports the same. */
  image: z.string().regex(/^[0-9a-f]{16}$/),
  /** How the interpreter was loaded: from the shared engine snapshot, or a full load. */
  boot: z.enum(["snapshot", "full"]),
  /** What the engine's lockdown did at boot (names and counts), for /healthz. */
  lockdown: z.record(z.string().max(64), z.union([z.number(), z.string().max(2000), z.array(z.string().max(200)).max(200)])),
});

/** The interpreter's state outside linear memory, hashed per part. */
export const fingerprintSchema = z.strictObject({ hash: z.string().max(64), parts: z.record(z.string().max(64), z.string().max(64)) });

export const toExecutorSchema = z.discriminatedUnion("t", [
  /** sent_at: when the daemon sent it (performance.timeOrigin + now(): one clock for both processes). */
  z.strictObject({ t: z.literal("run"), id: z.int(), job: jobSchema, sent_at: z.number().optional() }),
  z.strictObject({ t: z.literal("ping"), id: z.int() }),
  /** Between jobs: the fingerprint of the state the executor rests in (tests, diagnostics). */
  z.strictObject({ t: z.literal("fingerprint"), id: z.int() }),
  z.strictObject({ t: z.literal("host_reply"), id: z.int(), reply: z.unknown() }),
]);

export const fromExecutorSchema = z.discriminatedUnion("t", [
  z.strictObject({ t: z.literal("ready"), info: executorInfoSchema }),
  z.strictObject({ t: z.literal("result"), id: z.int(), outcome: outcomeSchema }),
  z.strictObject({ t: z.literal("pong"), id: z.int() }),
  /** The call ended by a trap or a termination: the executor checks itself before answering. */
  z.strictObject({ t: z.literal("recovering"), id: z.int() }),
  /** The code is done and a large state is being captured: the call's deadline is behind it. */
  z.strictObject({ t: z.literal("capturing"), id: z.int() }),
  z.strictObject({ t: z.literal("fingerprint"), id: z.int(), fingerprint: fingerprintSchema }),
  z.strictObject({ t: z.literal("host_call"), id: z.int(), call: z.unknown() }),
  z.strictObject({ t: z.literal("fatal"), message: z.string().max(65536) }),
  /** Sent before a result when the executor recycles itself; it then exits 0. */
  z.strictObject({ t: z.literal("retire"), reason: z.string().max(500) }),
]);
