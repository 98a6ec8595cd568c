// A tool's outgoing HTTP (wasi:http/outgoing-handler), daemon side. The tool host never opens a
// connection: it forwards each request here, and the bridge's web_fetch path checks and performs
// it under the calling tenant's and the call's policy — the same grant, allowlist, address
// checks at every hop and every resolved address, methods, headers, redirects, size and time caps
// as host.web_fetch. Each request takes one host call from the Python call's budget and leaves a
// `tool_http` record in its host_calls. A refusal reaches the tool as a wasi:http error-code.
import { clip, clipDetail, SUMMARY_CHARS } from "../bridge/audit.ts";
import type { HostCallBudget } from "../bridge/budget.ts";
import { denied, HostCallError, osError, quote, timeoutError, valueError } from "../bridge/errors.ts";
import { granted } from "../bridge/index.ts";
import { type HostCallRecord, WebFetchCall } from "../bridge/messages.ts";
import type { EffectivePolicy } from "../bridge/policy.ts";
import { NON_PUBLIC_RULE } from "../bridge/web-destination.ts";
import { fetchUnderPolicy } from "../bridge/web-fetch.ts";
import type { HostHttpRequest, HttpErrorCode, ToolHttpReply } from "./host/protocol.ts";

/** The name of a tool's request in host_calls. */
export const TOOL_HTTP_RECORD = "tool_http";

export interface ToolHttpContext {
  policy: EffectivePolicy;
  /** The earlier of the Python call's deadline and the tool call's own. */
  deadline: number;
  /** Aborted when the tool call ends: its requests stop with it. */
  signal: AbortSignal;
  budget: HostCallBudget;
  audit?: (record: HostCallRecord) => void;
  onInternalError?: (err: unknown) => void;
}

/** Always resolves: every failure is a reply the tool sees as an error-code. */
export async function performToolHttp(tool: { name: string; http: boolean }, msg: HostHttpRequest, ctx: ToolHttpContext): Promise<ToolHttpReply> {
  const started = performance.now();
  const summary = clip(`${tool.name}: ${msg.method} ${msg.url}`, SUMMARY_CHARS);
  const record = (outcome: HostCallRecord["outcome"], detail: string) =>
    ctx.audit?.({ name: TOOL_HTTP_RECORD, args_summary: summary, outcome, duration_ms: Math.round((performance.now() - started) * 100) / 100, detail: clipDetail(detail) });
  const refuse = (code: HttpErrorCode, err: HostCallError): ToolHttpReply => {
    record(err.type === "PermissionError" ? "denied" : "error", `${err.type}: ${err.message}`);
    return { req: msg.req, ok: false, code, message: err.message };
  };
  try {
    // The tool host only forwards requests of tools that import the handler; a host that sends
    // one for another tool is not believed.
    if (!tool.http) throw denied("tools", `${quote(tool.name)} does not import wasi:http/outgoing-handler`);
    if (!ctx.budget.take()) throw denied("host", `host call limit reached (capabilities.max_host_calls = ${ctx.budget.max})`);
    const policy = granted("web_fetch", ctx.policy.web_fetch);
    const args = webFetchArgs(msg);
    if (Date.now() >= ctx.deadline) throw timeoutError("web_fetch", "no time left before the tool call's deadline");
    const res = await fetchUnderPolicy(policy, args, { deadline: ctx.deadline, signal: ctx.signal });
    if (res.truncated) {
      // wasi:http has no "cut" flag: a body over the cap is the size error, not a shorter body.
      return refuse("HTTP-response-body-size", denied("web_fetch", `the response body is over web_fetch.max_response_bytes (${policy.max_response_bytes}); status ${res.status}`));
    }
    record("ok", `${res.status}, ${res.body.length} bytes`);
    return { req: msg.req, ok: true, status: res.status, headers: Object.entries(res.headers), body_b64: res.body.toString("base64") };
  } catch (e) {
    if (e instanceof HostCallError) return refuse(errorCode(e), e);
    ctx.onInternalError?.(e);
    return refuse("internal-error", osError(TOOL_HTTP_RECORD, "internal error"));
  }
}

/** The request in host.web_fetch's own message shape, checked by its own schema. */
function webFetchArgs(msg: HostHttpRequest): WebFetchCall["args"] {
  // wasi:http allows a field more than once; web_fetch takes one value per name (RFC 9110 joins them).
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of msg.headers) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  const parsed = WebFetchCall.shape.args.safeParse({ url: msg.url, method: msg.method, headers, body_b64: msg.body_b64 });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw valueError("web_fetch", `invalid request: ${clip(`${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`, 200)}`);
  }
  return parsed.data;
}

function errorCode(e: HostCallError): HttpErrorCode {
  switch (e.type) {
    case "PermissionError":
      return e.message.includes(NON_PUBLIC_RULE) ? "destination-IP-prohibited" : "HTTP-request-denied";
    case "TimeoutError":
      return "HTTP-response-timeout";
    default:
      return "internal-error";
  }
}
