// Messages between the daemon and the tool host process (framed JSON on fd 3, like executors).
// The tool host runs untrusted WebAssembly, so the daemon validates everything it sends back.
import { z } from "zod";
import { WIRE_LIMITS } from "../../bridge/messages.ts";
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

/**
 * One outgoing request of a running call (wasi:http/outgoing-handler), which the daemon checks
 * and performs under the call's web_fetch policy. The tool host never opens a connection.
 */
export interface ToolHttpRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body_b64: string | null;
}

/** Caps the tool host applies before a request leaves it (the wire's, as for host.web_fetch). */
export const TOOL_HTTP_LIMITS = Object.freeze({
  max_url_chars: WIRE_LIMITS.max_url_chars,
  max_headers: WIRE_LIMITS.max_headers,
  max_header_name_chars: WIRE_LIMITS.max_header_name_chars,
  max_header_value_chars: WIRE_LIMITS.max_header_value_chars,
  max_body_bytes: WIRE_LIMITS.max_data_bytes,
});

/** The wasi:http error-code cases the daemon answers with (daemon/src/tools/http.ts). */
export const HTTP_ERROR_CODES = ["HTTP-request-denied", "destination-IP-prohibited", "HTTP-response-timeout", "HTTP-response-body-size", "internal-error"] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** The daemon's answer to a ToolHttpRequest, numbered like it (`req`). */
export type ToolHttpReply =
  | { req: number; ok: true; status: number; headers: [string, string][]; body_b64: string }
  | { req: number; ok: false; code: HttpErrorCode; message: string };

export interface CallFs {
  /** Host directory the tool sees as its preopened "/". */
  root: string;
  write: boolean;
}

export type ToHost =
  | { t: "tools"; tools: HostTool[] }
  | { t: "call"; id: number; tool: string; args: unknown[]; fs: CallFs | null; timeout_ms: number }
  | { t: "cancel"; id: number }
  | ({ t: "http_reply"; id: number } & ToolHttpReply);

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

const B64_CHARS = 4 * Math.ceil(TOOL_HTTP_LIMITS.max_body_bytes / 3);

/** A request as the tool host forwards it; the bridge's web_fetch schema checks it again, exactly. */
export const HostHttpRequest = z.strictObject({
  t: z.literal("http"),
  /** The call it belongs to. */
  id: z.int().nonnegative(),
  req: z.int().positive(),
  method: z.string().max(64),
  url: z.string().max(TOOL_HTTP_LIMITS.max_url_chars),
  headers: z
    .array(z.tuple([z.string().max(TOOL_HTTP_LIMITS.max_header_name_chars), z.string().max(TOOL_HTTP_LIMITS.max_header_value_chars)]))
    .max(TOOL_HTTP_LIMITS.max_headers),
  body_b64: z.string().max(B64_CHARS).nullable(),
});
export type HostHttpRequest = z.output<typeof HostHttpRequest>;

export const FromHost = z.discriminatedUnion("t", [
  z.strictObject({ t: z.literal("ready"), pid: z.int(), seccomp: z.string().max(500) }),
  HostResult,
  HostHttpRequest,
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
