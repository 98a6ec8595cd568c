// Wire shapes between the executor and the daemon. The executor runs untrusted code, so every
// message is hostile: strict objects (unknown keys rejected), every string and list capped.
import { z } from "zod";
import { ToolCall, ToolsListCall } from "../tools/messages.ts";

/** Hard ceilings of the wire, whatever the policy says. Policy caps must sit below them. */
export const WIRE_LIMITS = Object.freeze({
  max_argv_items: 256,
  max_arg_chars: 8192,
  max_argv_total_chars: 65536,
  max_path_chars: 4096,
  max_url_chars: 8192,
  max_headers: 64,
  max_header_name_chars: 256,
  max_header_value_chars: 8192,
  max_data_bytes: 16 * 1024 * 1024,
});

const MAX_B64_CHARS = 4 * Math.ceil(WIRE_LIMITS.max_data_bytes / 3);
// RFC 9110 token: what a header name may be.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Header values: visible ASCII/Latin-1 and tabs/spaces; CR, LF and NUL would split or end the header.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const noNul = (s: string) => !s.includes("\0");

/**
 * Canonical base64 (padded, no whitespace). A plain loop, not a regex: a backtracking regex over
 * megabytes of input overflows V8's stack.
 */
function isBase64(s: string): boolean {
  if (s.length % 4 !== 0) return false;
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  for (let i = 0; i < s.length - pad; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 /* + */ || c === 47; /* / */
    if (!ok) return false;
  }
  return true;
}

const B64Data = z.string().superRefine((s, ctx) => {
  if (s.length > MAX_B64_CHARS) ctx.addIssue({ code: "custom", message: "data exceeds the wire limit" });
  else if (!isBase64(s)) ctx.addIssue({ code: "custom", message: "not valid base64" });
});

const Arg = z.string().max(WIRE_LIMITS.max_arg_chars).refine(noNul, "argument contains a NUL byte");
const FilePath = z
  .string()
  .min(1, "path is empty")
  .max(WIRE_LIMITS.max_path_chars)
  .refine(noNul, "path contains a NUL byte");

export const ShellCall = z.strictObject({
  name: z.literal("shell"),
  args: z.strictObject({
    argv: z
      .array(Arg)
      .min(1, "argv is empty")
      .max(WIRE_LIMITS.max_argv_items)
      .refine((a) => a[0] !== "", "argv[0] is empty")
      .refine((a) => a.reduce((n, s) => n + s.length, 0) <= WIRE_LIMITS.max_argv_total_chars, "argv is too long"),
  }),
});

export const ReadFileCall = z.strictObject({
  name: z.literal("read_file"),
  args: z.strictObject({ path: FilePath }),
});

/** write_file carries bytes as base64; the Python side encodes `str` as UTF-8 first. */
export const WriteFileCall = z.strictObject({
  name: z.literal("write_file"),
  args: z.strictObject({ path: FilePath, data_b64: B64Data }),
});

export const WebFetchCall = z.strictObject({
  name: z.literal("web_fetch"),
  args: z.strictObject({
    url: z.string().min(1).max(WIRE_LIMITS.max_url_chars),
    method: z
      .string()
      .regex(/^[A-Za-z]{1,16}$/, "method must be letters only")
      .transform((m) => m.toUpperCase())
      .default("GET"),
    // A JSON object of name -> value. zod drops a `__proto__` key rather than assigning it.
    headers: z
      .record(
        z.string().max(WIRE_LIMITS.max_header_name_chars).regex(HEADER_NAME, "invalid header name"),
        z.string().max(WIRE_LIMITS.max_header_value_chars).regex(HEADER_VALUE, "invalid header value"),
      )
      .refine((h) => Object.keys(h).length <= WIRE_LIMITS.max_headers, "too many headers")
      .nullish()
      .transform((h) => h ?? {}),
    body_b64: B64Data.nullish(),
  }),
});

export const HostCallMessage = z.discriminatedUnion("name", [ShellCall, ReadFileCall, WriteFileCall, WebFetchCall, ToolsListCall, ToolCall]);

export type ShellCall = z.output<typeof ShellCall>;
export type ReadFileCall = z.output<typeof ReadFileCall>;
export type WriteFileCall = z.output<typeof WriteFileCall>;
export type WebFetchCall = z.output<typeof WebFetchCall>;
export type HostCallMessage = z.output<typeof HostCallMessage>;
export type HostCallName = HostCallMessage["name"];

export const HostErrorType = z.enum(["PermissionError", "OSError", "TimeoutError", "ValueError", "TypeError", "ToolError", "ToolMemoryError"]);

/** The daemon's answer. On `ok: false` the executor raises `error.type(error.message)` in Python. */
export const HostCallReply = z.discriminatedUnion("ok", [
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.strictObject({ type: HostErrorType, message: z.string() }) }),
]);
export type HostCallReply = z.output<typeof HostCallReply>;

/** One entry of the eval response's `host_calls`. */
export const HostCallRecord = z.strictObject({
  name: z.string(),
  args_summary: z.string(),
  outcome: z.enum(["ok", "denied", "error"]),
  duration_ms: z.number(),
  detail: z.string().optional(),
});
export type HostCallRecord = z.output<typeof HostCallRecord>;

// Values returned on success (documented in docs/capabilities.md).
export interface ShellValue {
  exit_code: number; // negative signal number when killed, as Python's subprocess returncode
  stdout: string;
  stderr: string;
  truncated: boolean;
  timed_out: boolean;
}
export interface ReadFileValue {
  data_b64: string;
  size: number;
}
export interface WriteFileValue {
  path: string; // relative to files.root
  size: number;
}
export interface WebFetchValue {
  status: number;
  headers: Record<string, string>;
  body: string;
  encoding: "utf-8" | "base64";
  truncated: boolean;
  url: string;
}
