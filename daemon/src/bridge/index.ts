// The daemon side of host calls: validate the executor's message, check the effective policy,
// perform the capability, time it, and produce the reply and the audit record. Never throws.
import { clip, clipDetail, rawName, summarizeArgs } from "./audit.ts";
import { HostCallBudget } from "./budget.ts";
import { HostCallError, denied, osError, quote, timeoutError } from "./errors.ts";
import { readHostFile, writeHostFile } from "./files.ts";
import { HostCallMessage, type HostCallRecord, type HostCallReply } from "./messages.ts";
import type { CapabilityName, EffectivePolicy, Grant } from "./policy.ts";
import { runShell } from "./shell.ts";
import { webFetch } from "./web-fetch.ts";
import type { ToolService } from "../tools/service.ts";

export interface HostCallContext {
  policy: EffectivePolicy;
  /** Epoch ms: time spent in host calls counts against the Python call's timeout. */
  deadline: number;
  /** Aborted when the eval ends early (timeout, cancel): running commands and fetches stop. */
  signal?: AbortSignal;
  /** Per-eval call cap. When omitted, one budget per EffectivePolicy object is used. */
  budget?: HostCallBudget;
  /** Registered WebAssembly tools (daemon/src/tools/); without it `tool` calls are refused. */
  tools?: ToolService;
  /** Records of what a host call did on the call's behalf (a tool's HTTP requests), as they finish. */
  audit?: (record: HostCallRecord) => void;
  /** Sees unexpected failures (bugs); the sandbox only ever gets "internal error". */
  onInternalError?: (err: unknown) => void;
}

export interface HostCallResult {
  reply: HostCallReply;
  record: HostCallRecord;
}

// effectivePolicy() builds a fresh object per eval, so this gives each eval its own budget
// even when the caller does not pass one.
const implicitBudgets = new WeakMap<EffectivePolicy, HostCallBudget>();

function budgetFor(ctx: HostCallContext): HostCallBudget {
  if (ctx.budget) return ctx.budget;
  let b = implicitBudgets.get(ctx.policy);
  if (!b) {
    b = new HostCallBudget(ctx.policy.max_host_calls);
    implicitBudgets.set(ctx.policy, b);
  }
  return b;
}

/** The capability's policy, or the PermissionError every use of an ungranted one gets. */
export function granted<T>(name: CapabilityName, grant: Grant<T>): T {
  if (!grant.granted) throw denied(name, `not granted (${grant.rule})`);
  return grant.policy;
}

async function dispatch(msg: HostCallMessage, ctx: HostCallContext): Promise<{ value: unknown; detail: string }> {
  const { policy } = ctx;
  switch (msg.name) {
    case "shell": {
      const shell = granted("shell", policy.shell);
      const files = policy.files.granted ? policy.files.policy : null;
      const { pid: _pid, ...value } = await runShell(shell, msg.args.argv, {
        files,
        deadline: ctx.deadline,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      const flags = [value.timed_out && "timed_out", value.truncated && "truncated"].filter(Boolean);
      return { value, detail: [`exit ${value.exit_code}`, ...flags].join(", ") };
    }
    case "read_file": {
      const value = await readHostFile(granted("files", policy.files), msg.args.path);
      return { value, detail: `${value.size} bytes` };
    }
    case "write_file": {
      const files = granted("files", policy.files);
      const value = await writeHostFile(files, msg.args.path, Buffer.from(msg.args.data_b64, "base64"));
      return { value, detail: `${value.size} bytes` };
    }
    case "web_fetch": {
      const web = granted("web_fetch", policy.web_fetch);
      const value = await webFetch(web, msg.args, {
        deadline: ctx.deadline,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return { value, detail: `${value.status}${value.truncated ? ", truncated" : ""}` };
    }
    case "tools": {
      const value = ctx.tools?.allowed(policy) ?? [];
      return { value, detail: `${value.length} tool${value.length === 1 ? "" : "s"}` };
    }
    case "tool": {
      if (!ctx.tools) throw denied("tools", `${quote(msg.args.tool)} is not in capabilities.tools.allow (no tools are registered)`);
      return ctx.tools.call(policy, msg.args.tool, msg.args.args, {
        deadline: ctx.deadline,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        // A tool's HTTP requests are host calls of this Python call: its budget, its audit.
        budget: budgetFor(ctx),
        ...(ctx.audit ? { audit: ctx.audit } : {}),
        ...(ctx.onInternalError ? { onInternalError: ctx.onInternalError } : {}),
      });
    }
  }
}

/** The first few schema issues, with hostile keys in their paths cut short. */
function describeIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.map((k) => clip(String(k), 40)).join(".");
      return clip(path ? `${path}: ${i.message}` : i.message, 200);
    })
    .join("; ");
}

export async function performHostCall(raw: unknown, ctx: HostCallContext): Promise<HostCallResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  const fail = (name: string, summary: string, e: HostCallError): HostCallResult => ({
    reply: { ok: false, error: { type: e.type, message: e.message } },
    record: {
      name,
      args_summary: summary,
      outcome: e.type === "PermissionError" ? "denied" : "error",
      duration_ms: elapsed(),
      detail: clipDetail(`${e.type}: ${e.message}`),
    },
  });

  let name = "invalid";
  let summary = "";
  try {
    name = rawName(raw);
    if (!budgetFor(ctx).take()) {
      throw denied("host", `host call limit reached (capabilities.max_host_calls = ${budgetFor(ctx).max})`);
    }
    const parsed = HostCallMessage.safeParse(raw);
    if (!parsed.success) {
      return fail(name, summary, new HostCallError("ValueError", `invalid host call: ${describeIssues(parsed.error)}`));
    }
    const msg = parsed.data;
    summary = summarizeArgs(msg);
    if (Date.now() >= ctx.deadline) throw timeoutError(msg.name, "no time left before the eval deadline");
    const { value, detail } = await dispatch(msg, ctx);
    return {
      reply: { ok: true, value },
      record: { name, args_summary: summary, outcome: "ok", duration_ms: elapsed(), detail: clipDetail(detail) },
    };
  } catch (e) {
    if (e instanceof HostCallError) return fail(name, summary, e);
    ctx.onInternalError?.(e);
    return fail(name, summary, osError(name, "internal error"));
  }
}

export { HostCallBudget } from "./budget.ts";
export { HostCallError } from "./errors.ts";
export {
  HostCallMessage,
  HostCallRecord,
  HostCallReply,
  WIRE_LIMITS,
  type ReadFileValue,
  type ShellValue,
  type WebFetchValue,
  type WriteFileValue,
} from "./messages.ts";
export {
  CAPABILITY_NAMES,
  CapabilitiesConfig,
  type CapabilitiesConfigInput,
  CapabilityName,
  type EffectivePolicy,
  effectivePolicy,
  grantedCapabilities,
  parseCapabilitiesConfig,
} from "./policy.ts";
