// An eval response as an MCP tool result. The text is what the model reads, so it is labelled
// sections in a fixed order (stdout, stderr, result, error, status) rather than JSON; the raw
// eval fields ride along as structuredContent for programs.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toEnvelope } from "../errors.ts";
import type { EvalResponse } from "../wire/eval.ts";

// Why a call that did not run to completion stopped, in words a model can act on.
const STATUS_NOTES: Record<string, string> = {
  timeout: "the code ran past its time limit (timeout_ms) and was stopped",
  memory_limit: "the code ran out of memory and was stopped",
  output_limit: "the code wrote more output than allowed and was stopped",
  crashed: "the interpreter crashed; the call may be retried",
};

export function evalToolResult(response: EvalResponse): CallToolResult {
  const sections: string[] = [];
  if (response.stdout) sections.push(`[stdout]\n${trimNewline(response.stdout)}`);
  if (response.stderr) sections.push(`[stderr]\n${trimNewline(response.stderr)}`);
  if (response.result !== null) sections.push(`[result]\n${response.result}`);
  if (response.error) {
    const { type, message, traceback } = response.error;
    sections.push(`[error]\n${message ? `${type}: ${message}` : type}`);
    if (traceback) sections.push(`[traceback]\n${trimNewline(traceback)}`);
  }
  if (response.truncated) sections.push("[note]\noutput was truncated at max_output_bytes");
  const note = STATUS_NOTES[response.status];
  if (note) sections.push(`[status]\n${response.status}: ${note}`);
  // An empty text block reads as "the tool did nothing"; say that it finished.
  if (sections.length === 0) sections.push("(no output and no result: the code ran without error)");
  return {
    content: [{ type: "text", text: sections.join("\n\n") }],
    structuredContent: response as unknown as Record<string, unknown>,
    isError: response.status !== "ok",
  };
}

/** A call Arbor refused or could not run (limit_exceeded, overloaded, ...): no eval fields. */
export function refusalToolResult(err: unknown): CallToolResult {
  // toEnvelope never copies stacks or messages of unknown errors.
  const { code, message } = toEnvelope(err).body.error;
  return { content: [{ type: "text", text: `[arbor error]\n${code}: ${message}` }], isError: true };
}

function trimNewline(text: string): string {
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}
