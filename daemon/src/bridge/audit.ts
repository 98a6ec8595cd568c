// Short, log-safe summaries of host calls for the eval response's `host_calls` records.
import type { HostCallMessage } from "./messages.ts";
import { previewArgs } from "../tools/audit.ts";

export const SUMMARY_CHARS = 120;
const DETAIL_CHARS = 200;

/** Cut to n characters, escaping control characters so a summary can't forge log lines. */
export function clip(s: string, n: number): string {
  const safe = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return safe.length > n ? `${safe.slice(0, n - 1)}…` : safe;
}

export function summarizeArgs(msg: HostCallMessage): string {
  switch (msg.name) {
    case "shell":
      return clip(JSON.stringify(msg.args.argv), SUMMARY_CHARS);
    case "read_file":
      return clip(msg.args.path, SUMMARY_CHARS);
    case "write_file":
      return clip(`${msg.args.path} (${base64Bytes(msg.args.data_b64)} bytes)`, SUMMARY_CHARS);
    case "web_fetch":
      return clip(`${msg.args.method} ${msg.args.url}`, SUMMARY_CHARS);
    case "tools":
      return "";
    case "tool":
      return clip(`${msg.args.tool}(${previewArgs(msg.args.args, SUMMARY_CHARS)})`, SUMMARY_CHARS);
  }
}

/** The call's name as sent, for records of messages that failed validation. */
export function rawName(raw: unknown): string {
  if (typeof raw === "object" && raw !== null && "name" in raw && typeof raw.name === "string") return clip(raw.name, 40);
  return "invalid";
}

export function clipDetail(s: string): string {
  return clip(s, DETAIL_CHARS);
}

function base64Bytes(b64: string): number {
  const pad = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}
