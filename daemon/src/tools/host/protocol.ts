// Messages between the daemon and the tool host process (framed JSON on fd 3, like executors).
// The tool host runs untrusted WebAssembly, so the daemon validates everything it sends back.
import { z } from "zod";
import type { WitFunction } from "../wit-types.ts";

/** What the tool host needs to know of a registered tool. */
export interface HostTool {
  name: string;
  /** Directory of jco's transpiled bindings and core modules. */
  dir: string;
  module: string;
  exportPath: string[];
  fn: WitFunction;
  memory_mb: number;
  max_output_bytes: number;
  /** May the tool keep a warm instance between calls (no filesystem: nothing to leak through preopens). */
  prewarm: boolean;
}

export interface CallFs {
  /** Host directory the tool sees as its preopened "/". */
  root: string;
  write: boolean;
}

export type ToHost =
  | { t: "tools"; tools: HostTool[] }
  | { t: "call"; id: number; tool: string; args: unknown[]; fs: CallFs | null; timeout_ms: number }
  | { t: "cancel"; id: number };

export const CALL_OUTCOMES = ["ok", "tool_error", "trap", "timeout", "memory_limit", "crashed", "invalid"] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

const MAX_TEXT = 16 * 1024 * 1024;

export const HostResult = z.strictObject({
  t: z.literal("result"),
  id: z.int().nonnegative(),
  outcome: z.enum(CALL_OUTCOMES),
  /** The tool's return value (ok) or its error value (tool_error), as JSON. */
  value: z.unknown().optional(),
  message: z.string().max(4096).optional(),
  stdout: z.string().max(MAX_TEXT),
  stderr: z.string().max(MAX_TEXT),
  truncated: z.boolean(),
  /** Time spent creating the instance (0 when a warm one was ready), and in the call. */
  instance_ms: z.number().nonnegative(),
  exec_ms: z.number().nonnegative(),
});
export type HostResult = z.output<typeof HostResult>;

export const FromHost = z.discriminatedUnion("t", [
  z.strictObject({ t: z.literal("ready"), pid: z.int(), seccomp: z.string().max(500) }),
  HostResult,
  z.strictObject({ t: z.literal("fatal"), message: z.string().max(4096) }),
]);
export type FromHost = z.output<typeof FromHost>;

/** Worker thread ↔ tool host main thread. */
export interface WorkerCall {
  id: number;
  tool: string;
  args: unknown[];
  fs: CallFs | null;
}
