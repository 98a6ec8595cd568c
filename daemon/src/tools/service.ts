// The `tools` capability, daemon side: the registry, the tool host, and what one host call does —
// grant check (tenant's capabilities.tools.allow ∩ the request's capabilities), arity and type
// check against the WIT signature, the files grant for tools that use wasi:filesystem, the time
// left before the Python call's deadline, and the outcome as a value or a typed error.
import type { ArborConfig } from "../config/index.ts";
import { clip } from "../bridge/audit.ts";
import { HostCallBudget } from "../bridge/budget.ts";
import { denied, HostCallError, osError, quote, timeoutError } from "../bridge/errors.ts";
import type { HostCallRecord } from "../bridge/messages.ts";
import type { EffectivePolicy } from "../bridge/policy.ts";
import { performToolHttp } from "./http.ts";
import type { ToolCallValue } from "./messages.ts";
import { loadToolRegistry, type RegisteredTool, ToolRegistry } from "./registry.ts";
import { ToolHost } from "./tool-host.ts";
import { checkValue, ValueTypeError } from "./values.ts";
import { typeText } from "./wit-types.ts";

/** One tool as host.tools(), GET /v1/tools and MCP describe it. */
export interface ToolInfo {
  name: string;
  description: string;
  signature: string;
  params: { name: string; type: string }[];
  result: string | null;
  types: Record<string, string>;
  sha256: string;
  interfaces: string[];
  timeout_ms: number;
  memory_mb: number;
}

export function toolInfo(t: RegisteredTool): ToolInfo {
  return {
    name: t.name,
    description: t.description,
    signature: t.signature,
    params: t.function.params.map((p) => ({ name: p.name, type: typeText(p.type) })),
    result: t.function.result ? typeText(t.function.result) : null,
    types: t.types,
    sha256: t.digest,
    interfaces: t.interfaces,
    timeout_ms: t.timeout_ms,
    memory_mb: t.memory_mb,
  };
}

export interface ToolCallContext {
  deadline: number;
  signal?: AbortSignal;
  /** The Python call's host-call budget: each outgoing HTTP request of the tool takes one. */
  budget?: HostCallBudget;
  /** Where the tool's HTTP requests are recorded (the Python call's host_calls). */
  audit?: (record: HostCallRecord) => void;
  onInternalError?: (err: unknown) => void;
}

const TAIL_CHARS = 500;

export class ToolService {
  /**
   * @param host runs every call that cannot write files: it never gets write access anywhere, so
   *   it keeps every confinement layer (seccomp refuses all file writes).
   * @param writeHost runs the calls that may write (the tool's filesystem_write and the tenant's
   *   files.write); it exists only when some tool and some tenant allow writing.
   */
  constructor(
    readonly registry: ToolRegistry,
    readonly host: ToolHost | null,
    readonly writeHost: ToolHost | null = null,
  ) {}

  /** Loads the registry (refusing the start on any problem) and prepares, not starts, the host. */
  static async create(config: ArborConfig, options: { cacheDir?: string } = {}): Promise<ToolService> {
    const registry = await loadToolRegistry(config.tools, options);
    if (registry.size === 0) return new ToolService(registry, null);
    const tools = [...registry.tools.values()];
    // Only the roots of grants that can reach a filesystem tool (and, for writing, a writing one).
    const grants = config.tenants.length > 0 ? config.tenants.map((t) => t.capabilities) : [config.capabilities];
    const can = (g: (typeof grants)[number], test: (t: RegisteredTool) => boolean) => registry.allowed(g.tools?.allow ?? []).some(test);
    const readRoots = grants.flatMap((g) => (g.files && can(g, (t) => t.filesystem) ? [g.files.root] : []));
    const writeRoots = grants.flatMap((g) => (g.files?.write && can(g, (t) => t.filesystem_write) ? [g.files.root] : []));
    const writeHost = writeRoots.length > 0 ? new ToolHost({ tools: tools.filter((t) => t.filesystem_write), readRoots, writeRoots }) : null;
    return new ToolService(registry, new ToolHost({ tools, readRoots, writeRoots: [] }), writeHost);
  }

  async start(): Promise<void> {
    await Promise.all([this.host?.start(), this.writeHost?.start()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.host?.close(), this.writeHost?.close()]);
  }

  /** The tools a grant allows (none when the call has no `tools` capability). */
  allowed(policy: Pick<EffectivePolicy, "tools">): ToolInfo[] {
    if (!policy.tools.granted) return [];
    return this.registry.allowed(policy.tools.policy.allow).map(toolInfo);
  }

  /** @throws HostCallError: PermissionError, TypeError, TimeoutError, ToolError, ToolMemoryError, OSError */
  async call(policy: EffectivePolicy, name: string, args: unknown[], ctx: ToolCallContext): Promise<{ value: ToolCallValue; detail: string }> {
    if (!policy.tools.granted) throw denied("tools", `not granted (${policy.tools.rule})`);
    const tool = this.registry.get(name);
    if (!tool || !policy.tools.policy.allow.includes(name)) {
      throw denied("tools", `${quote(name)} is not in capabilities.tools.allow`);
    }
    const { params } = tool.function;
    if (args.length !== params.length) {
      const list = params.map((p) => p.name).join(", ");
      throw new HostCallError("TypeError", `tool ${quote(name)} takes ${params.length} argument${params.length === 1 ? "" : "s"} (${list}), got ${args.length}`);
    }
    params.forEach((p, i) => {
      try {
        checkValue(args[i], p.type, p.name);
      } catch (e) {
        if (e instanceof ValueTypeError) throw new HostCallError("TypeError", `tool ${quote(name)}: parameter ${e.message}`);
        throw e;
      }
    });
    let fs = null;
    if (tool.filesystem) {
      if (!policy.files.granted) throw denied("tools", `${quote(name)} uses wasi:filesystem, which needs the files capability (${policy.files.rule})`);
      fs = { root: policy.files.policy.root, write: tool.filesystem_write && policy.files.policy.write };
    }
    const timeoutMs = Math.min(tool.timeout_ms, ctx.deadline - Date.now());
    if (timeoutMs <= 0) throw timeoutError("tools", "no time left before the eval deadline");
    const host = fs?.write ? this.writeHost : this.host;
    if (!host) throw osError("tools", "the tool host is not running");
    // The tool's requests end with it (a timeout, a cancel), and never outlive the Python call.
    const ended = new AbortController();
    const http = {
      policy,
      deadline: Date.now() + timeoutMs,
      signal: ctx.signal ? AbortSignal.any([ctx.signal, ended.signal]) : ended.signal,
      budget: ctx.budget ?? new HostCallBudget(policy.max_host_calls),
      ...(ctx.audit ? { audit: ctx.audit } : {}),
      ...(ctx.onInternalError ? { onInternalError: ctx.onInternalError } : {}),
    };
    const r = await host.call(tool, args, fs, timeoutMs, ctx.signal, (request) => performToolHttp(tool, request, http)).finally(() => ended.abort());
    const tail = r.stderr ? `\n[tool stderr] ${clip(r.stderr.slice(-TAIL_CHARS), TAIL_CHARS)}` : "";
    const ms = `${Math.round((r.instance_ms + r.exec_ms) * 100) / 100} ms`;
    switch (r.outcome) {
      case "ok":
        return { value: { value: r.value ?? null, stdout: r.stdout, stderr: r.stderr, truncated: r.truncated }, detail: `ok, ${ms}` };
      case "tool_error":
        return {
          value: { error: r.value ?? null, stdout: r.stdout, stderr: r.stderr, truncated: r.truncated },
          detail: `returned err ${clip(JSON.stringify(r.value ?? null), 80)}`,
        };
      case "timeout":
        throw timeoutError("tools", `${quote(name)}: ${r.message ?? "timed out"}${tail}`);
      case "memory_limit":
        throw new HostCallError("ToolMemoryError", `tools: ${quote(name)} hit its memory limit (memory_mb = ${tool.memory_mb}): ${r.message ?? ""}${tail}`);
      case "trap":
        throw new HostCallError("ToolError", `tools: ${quote(name)} trapped: ${r.message ?? "trap"}${tail}`);
      case "invalid":
        throw new HostCallError("TypeError", `tools: ${quote(name)}: ${r.message ?? "invalid arguments"}`);
      case "crashed":
        throw osError("tools", `${quote(name)}: ${r.message ?? "the tool host failed"}`);
    }
  }

  /** For /healthz: the registry and the tool host's confinement. */
  health() {
    return {
      registered: [...this.registry.tools.values()].map((t) => ({ name: t.name, sha256: t.digest, interfaces: t.interfaces })),
      host: hostHealth(this.host),
      write_host: hostHealth(this.writeHost),
    };
  }
}

function hostHealth(host: ToolHost | null) {
  if (!host) return null;
  const layers = { ...(host.launch?.layers ?? {}) };
  if (host.seccomp && layers.seccomp?.active) layers.seccomp = { active: true, detail: host.seccomp };
  return {
    running: host.pid !== null,
    restarts: host.restarts,
    layers,
    inactive: Object.entries(layers)
      .filter(([, l]) => !l.active)
      .map(([n, l]) => `${n}: ${l.detail}`),
  };
}
