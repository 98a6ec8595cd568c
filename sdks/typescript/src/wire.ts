// Conversions between the SDK's camelCase shapes and the snake_case wire.
import { BATCH_STATUSES, CALL_STATUSES, HOST_CALL_OUTCOMES, isOneOf } from "./enums.ts";
import { errorFromEnvelope, invalidResponse, isRecord } from "./errors.ts";
import type {
  BatchResult,
  BatchSpec,
  BatchView,
  Branch,
  EvalResult,
  HostCall,
  StateEvalOptions,
  StateInfo,
  Tool,
} from "./types.ts";

/** The wire request body for an eval, a state eval, a fork branch or a batch program. Unset options are omitted. */
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

/** A fork branch or a batch program (a Program is a Branch without `checkpoint`). */
export function toWireProgram(program: string | Branch): Record<string, unknown> {
  if (typeof program === "string") return toWireEval(program);
  const { code, ...opts } = program;
  return toWireEval(code, opts);
}

export function toWireBatchSpec(spec: BatchSpec): Record<string, unknown> {
  if ("requests" in spec) return { requests: spec.requests.map(toWireProgram) };
  return { state_id: spec.stateId, branches: spec.branches.map(toWireProgram) };
}

/** An eval response (also a state, fork or batch result) as an EvalResult. */
export function fromWireEval(body: unknown, requestId?: string): EvalResult {
  if (!isRecord(body) || !isOneOf(CALL_STATUSES, body.status)) {
    throw invalidResponse("an eval response without a known status", requestId);
  }
  const timing = isRecord(body.timing) ? body.timing : {};
  const error = isRecord(body.error) ? body.error : null;
  return {
    id: str(body.id),
    status: body.status,
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
    hostCalls: (Array.isArray(body.host_calls) ? body.host_calls : []).filter(isRecord).map((c) => fromWireHostCall(c, requestId)),
    timing: {
      queueMs: num(timing.queue_ms),
      restoreMs: num(timing.restore_ms),
      restoreWaitMs: num(timing.restore_wait_ms),
      execMs: num(timing.exec_ms),
      checkpointMs: num(timing.checkpoint_ms),
      totalMs: num(timing.total_ms),
    },
    stateId: typeof body.state_id === "string" ? body.state_id : null,
  };
}

function fromWireHostCall(call: Record<string, unknown>, requestId: string | undefined): HostCall {
  // An outcome this SDK does not know is not reported as "ok".
  if (!isOneOf(HOST_CALL_OUTCOMES, call.outcome)) throw invalidResponse("a host call record without a known outcome", requestId);
  const out: HostCall = {
    name: str(call.name),
    argsSummary: str(call.args_summary),
    outcome: call.outcome,
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
    children: num(body.children),
    raw: body,
  };
}

/** GET /v1/tools. */
export function fromWireTools(body: unknown, requestId?: string): Tool[] {
  if (!isRecord(body) || !Array.isArray(body.tools)) throw invalidResponse("a tools list without tools", requestId);
  return body.tools.map((t): Tool => {
    if (!isRecord(t)) throw invalidResponse("a tool that is not an object", requestId);
    const types = isRecord(t.types) ? t.types : {};
    return {
      name: str(t.name),
      description: str(t.description),
      signature: str(t.signature),
      params: (Array.isArray(t.params) ? t.params : []).filter(isRecord).map((p) => ({ name: str(p.name), type: str(p.type) })),
      result: typeof t.result === "string" ? t.result : null,
      types: Object.fromEntries(Object.entries(types).map(([k, v]) => [k, str(v)])),
      sha256: str(t.sha256),
      interfaces: (Array.isArray(t.interfaces) ? t.interfaces : []).map(str),
      timeoutMs: num(t.timeout_ms),
      memoryMb: num(t.memory_mb),
    };
  });
}

/** The id in POST /v1/batches' answer. */
export function fromWireBatchId(body: unknown, requestId?: string): string {
  if (!isRecord(body) || typeof body.batch_id !== "string" || body.batch_id === "") {
    throw invalidResponse("an accepted batch without a batch_id", requestId);
  }
  return body.batch_id;
}

/** GET /v1/batches/{batch_id}: progress plus the results in the requested range, by index. */
export function fromWireBatchView(body: unknown, batchId: string, requestId?: string): BatchView {
  if (!isRecord(body) || !isOneOf(BATCH_STATUSES, body.status) || !isCount(body.total) || !isCount(body.done)) {
    throw invalidResponse("a batch without a known status, total and done", requestId);
  }
  if (!Array.isArray(body.results)) throw invalidResponse("a batch without results", requestId);
  return {
    id: typeof body.batch_id === "string" ? body.batch_id : batchId,
    status: body.status,
    total: body.total,
    done: body.done,
    results: body.results.map((r) => fromWireBatchResult(r, requestId)).sort((a, b) => a.index - b.index),
  };
}

function fromWireBatchResult(r: unknown, requestId: string | undefined): BatchResult {
  if (!isRecord(r) || !isCount(r.index)) throw invalidResponse("a batch result without an index", requestId);
  if (isRecord(r.error)) {
    return { index: r.index, response: null, error: errorFromEnvelope(r.error, "A batch job failed without an error message.") };
  }
  if (r.response === undefined) throw invalidResponse("a batch result with neither response nor error", requestId);
  return { index: r.index, response: fromWireEval(r.response, requestId), error: null };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}
