// Host-call messages of the `tools` capability, as sandboxed Python sends them (hostile input:
// strict shapes, capped). Argument values are checked against the tool's WIT signature later,
// in service.ts, where the signature is known.
import { z } from "zod";

export const MAX_TOOL_ARGS = 64;

/** host.tools(): the tools this call may use, with their signatures. */
export const ToolsListCall = z.strictObject({
  name: z.literal("tools"),
  args: z.strictObject({}),
});

/** host.tool(name, *args) */
export const ToolCall = z.strictObject({
  name: z.literal("tool"),
  args: z.strictObject({
    tool: z.string().min(1).max(63),
    args: z.array(z.unknown()).max(MAX_TOOL_ARGS),
  }),
});

export type ToolsListCall = z.output<typeof ToolsListCall>;
export type ToolCall = z.output<typeof ToolCall>;

/** What host.tool() gets back: the value, or the tool's own error (a WIT result's err case). */
export interface ToolCallValue {
  value?: unknown;
  error?: unknown;
  stdout: string;
  stderr: string;
  truncated: boolean;
}
