// Conversions between the SDK's camelCase shapes and the snake_case wire.
import { ArborError, isRecord } from "./errors.ts";
import type { Branch, CallStatus, EvalResult, HostCall, StateEvalOptions, StateInfo } from "./types.ts";

const STATUSES: ReadonlySet<string> = new Set(["ok", "error", "timeout", "memory_limit", "output_limit", "crashed"]);

/** The wire request body for an eval, a state eval or a fork branch. Unset options are omitted. */
export function toWireEval(code: string, opts: Omit<StateEvalOptions, "signal"> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { code };
  if (opts.timeoutMs !== undefined) body.timeout_ms = opts.timeoutMs;
  if (opts.memoryMb !== undefined) body.memory_mb = opts.memoryMb;
  if (opts.maxOutputBytes !== undefined) body.max_output_bytes = opts.maxOutputBytes;
  if (opts.stdin !== undefined) body.stdin = opts.stdin;
  if (opts.files !== undefined) {
    body.files = opts.files.map((f) => ({ path: f.path, content_b64: Buffer.from(f.content).toString("base64") }));
  }
  if (opts.returnFiles !== undefined) body.return_files = opts.returnFiles;
  if (opts.capabilities !== undefined) body.capabilities = opts.capabilities;
  if (opts.seed !== undefined) body.seed = opts.seed;
  if (opts.checkpoint !== undefined) body.checkpoint = opts.checkpoint;
  return body;
}

export function toWireBranch(branch: string | Branch): Record<string, unknown> {
  if (typeof branch === "string") return toWireEval(branch);
  const { code, ...opts } = branch;
  return toWireEval(code, opts);
}

/** An eval response (also a state or fork result) as an EvalResult. */
export function fromWireEval(body: unknown, requestId?: string): EvalResult {
  if (!isRecord(body) || typeof body.status !== "string" || !STATUSES.has(body.status)) {
    throw invalidResponse("an eval response without a known status", requestId);
  }
  const timing = isRecord(body.timing) ? body.timing : {};
  const error = isRecord(body.error) ? body.error : null;
  return {
    id: str(body.id),
    status: body.status as CallStatus,
    ok: body.status === "ok",
    stdout: str(body.stdout),
    stderr: str(body.stderr),
    result: typeof body.result === "string" ? body.result : null,
    error: error && { type: str(error.type), message: str(error.message), traceback: str(error.traceback) },
    files: (Array.isArray(body.files) ? body.files : []).filter(isRecord).map((f) => ({
      path: str(f.path),
      content: new Uint8Array(Buffer.from(str(f.content_b64), "base64")),
    })),
    truncated: body.truncated === true,
    hostCalls: (Array.isArray(body.host_calls) ? body.host_calls : []).filter(isRecord).map(fromWireHostCall),
    timing: {
      queueMs: num(timing.queue_ms),
      restoreMs: num(timing.restore_ms),
      execMs: num(timing.exec_ms),
      totalMs: num(timing.total_ms),
    },
    stateId: typeof body.state_id === "string" ? body.state_id : null,
  };
}

function fromWireHostCall(call: Record<string, unknown>): HostCall {
  const out: HostCall = {
    name: str(call.name),
    argsSummary: str(call.args_summary),
    outcome: call.outcome === "denied" || call.outcome === "error" ? call.outcome : "ok",
    durationMs: num(call.duration_ms),
  };
  if (typeof call.detail === "string") out.detail = call.detail;
  return out;
}

export function fromWireStateInfo(body: unknown, id: string, requestId?: string): StateInfo {
  if (!isRecord(body)) throw invalidResponse("state metadata that is not an object", requestId);
  return {
    id: typeof body.state_id === "string" ? body.state_id : id,
    parentId: typeof body.parent_id === "string" ? body.parent_id : null,
    depth: num(body.depth),
    bytes: num(body.bytes),
    createdAt: typeof body.created_at === "number" ? new Date(body.created_at).toISOString() : str(body.created_at),
    raw: body,
  };
}

export function invalidResponse(what: string, requestId?: string): ArborError {
  return new ArborError(`The daemon sent ${what}.`, { code: "invalid_response", requestId });
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}
