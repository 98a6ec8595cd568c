// The wire shape of an eval call: the single source for validation, the OpenAPI document and
// the SDKs (sdks/openapi.json). Unknown fields are rejected (strict objects). Shared names come
// from where they are decided: statuses from the executor protocol, capability names from the
// bridge's policy, the host-call record from the bridge.
import { z } from "zod";
import { callStatusSchema } from "../../../runtime/src/protocol/schemas.ts";
import { HostCallRecord } from "../bridge/messages.ts";
import { CAPABILITY_NAMES } from "../bridge/policy.ts";

export const capabilityName = z.enum(CAPABILITY_NAMES);

export const wireFile = z.strictObject({
  path: z.string().min(1).max(4096).describe("Path relative to /workspace (the cwd of the code)."),
  content_b64: z.string().max(64 * 1024 * 1024).describe("File content, base64."),
});

export const evalRequest = z.strictObject({
  code: z.string().describe("Python source, run like a REPL cell."),
  timeout_ms: z.int().positive().optional().describe("Wall-time limit; default and maximum from config."),
  memory_mb: z.int().positive().optional().describe("Linear-memory cap for the interpreter, MiB."),
  max_output_bytes: z.int().positive().optional().describe("Cap on stdout+stderr+result, bytes."),
  stdin: z.string().optional(),
  files: z.array(wireFile).max(1000).optional().describe("Written into /workspace before the code runs."),
  return_files: z.boolean().optional().describe("Return the files the code created or changed in /workspace."),
  capabilities: z.array(capabilityName).optional().describe("Host capabilities this call may use (narrows the tenant policy)."),
  seed: z.int().min(0).max(2 ** 53 - 1).optional().describe("Seeds `random` deterministically."),
});
export type EvalRequest = z.infer<typeof evalRequest>;

export const callStatus = callStatusSchema;

export const hostCallRecord = HostCallRecord;

export const evalResponse = z.object({
  id: z.string().describe("Request id; also in the x-request-id header."),
  status: callStatus,
  stdout: z.string(),
  stderr: z.string(),
  result: z.string().nullable().describe("repr() of the last expression; null when none or None."),
  error: z
    .object({ type: z.string(), message: z.string(), traceback: z.string() })
    .nullable(),
  files: z.array(wireFile).optional(),
  truncated: z.boolean().optional().describe("True when output was cut at max_output_bytes."),
  host_calls: z.array(hostCallRecord),
  timing: z.object({
    queue_ms: z.number(),
    restore_ms: z.number(),
    restore_wait_ms: z
      .number()
      .describe("Time this call waited for the interpreter to finish restoring after the previous call (0 when it was ready)."),
    exec_ms: z.number(),
    checkpoint_ms: z
      .number()
      .describe("Capturing the state the call left (branching endpoints with a checkpoint; 0 otherwise); it is in total_ms, not exec_ms."),
    total_ms: z.number(),
  }),
  state_id: z
    .string()
    .nullable()
    .optional()
    .describe("The kept state (branching endpoints); null when the call ended in a way that leaves no usable state."),
});
export type EvalResponse = z.infer<typeof evalResponse>;

export const errorEnvelope = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
