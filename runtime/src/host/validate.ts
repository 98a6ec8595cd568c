// Everything an executor says is checked before the daemon believes it: a compromised executor
// may send anything. Unknown shapes kill the executor (see executor-process.ts).
import { z } from "zod";
import type { FromExecutor } from "../protocol/messages.ts";

const status = z.enum(["ok", "error", "timeout", "memory_limit", "output_limit", "crashed"]);
const file = z.strictObject({ path: z.string().max(4096), content_b64: z.string() });
const pyError = z.strictObject({ type: z.string().max(256), message: z.string(), traceback: z.string() });

const fsDelta = z.strictObject({
  removed: z.array(z.string().max(4096)).max(100_000),
  dirs: z.array(z.strictObject({ path: z.string().max(4096), mode: z.int() })).max(100_000),
  files: z.array(z.strictObject({ path: z.string().max(4096), mode: z.int(), data_b64: z.string() })).max(100_000),
  links: z.array(z.strictObject({ path: z.string().max(4096), target: z.string().max(4096) })).max(100_000),
});

const stateBlob = z.strictObject({
  id: z.string().max(64),
  parent_id: z.string().max(64).nullable(),
  memory_bytes: z.int().positive().max(2 ** 32),
  page_index: z.array(z.int().nonnegative().max(2 ** 20)).max(2 ** 20),
  pages_b64: z.string(),
  fs: fsDelta,
});

const outcome = z.strictObject({
  status,
  stdout: z.string(),
  stderr: z.string(),
  result: z.string().nullable(),
  error: pyError.nullable(),
  files: z.array(file).max(10_000).optional(),
  truncated: z.boolean(),
  timing: z.strictObject({ restore_ms: z.number().nonnegative(), exec_ms: z.number().nonnegative() }),
  memory_bytes: z.number().int().nonnegative(),
  checkpoint: stateBlob.optional(),
});

const info = z.strictObject({
  pid: z.number().int(),
  strategy: z.string().max(32),
  strategy_reason: z.string().max(2000),
  call_guard: z.enum(["native", "vm"]),
  call_guard_reason: z.string().max(2000),
  boot_ms: z.number().nonnegative(),
  baseline_bytes: z.number().int().positive(),
  image: z.string().regex(/^[0-9a-f]{16}$/),
  boot: z.enum(["snapshot", "full"]),
  pyodide_version: z.string().max(64),
});

export const fromExecutorSchema = z.discriminatedUnion("t", [
  z.strictObject({ t: z.literal("ready"), info }),
  z.strictObject({ t: z.literal("result"), id: z.number().int(), outcome }),
  z.strictObject({ t: z.literal("pong"), id: z.number().int() }),
  z.strictObject({ t: z.literal("recovering"), id: z.number().int() }),
  z.strictObject({
    t: z.literal("fingerprint"),
    id: z.number().int(),
    fingerprint: z.strictObject({ hash: z.string().max(64), parts: z.record(z.string().max(64), z.string().max(64)) }),
  }),
  z.strictObject({ t: z.literal("host_call"), id: z.number().int(), call: z.unknown() }),
  z.strictObject({ t: z.literal("fatal"), message: z.string().max(65536) }),
  z.strictObject({ t: z.literal("retire"), reason: z.string().max(500) }),
]);

export function parseFromExecutor(raw: unknown): FromExecutor {
  return fromExecutorSchema.parse(raw) as FromExecutor;
}
