// From a validated request to a wire response: resolve the tenant's limits, schedule the job on
// an executor, and shape the outcome for the wire. Routes stay thin; this is the call's path.
import type { Job, Outcome } from "../../runtime/src/protocol/messages.ts";
import type { Tenant } from "./auth.ts";
import { resolveCallLimits } from "./config/index.ts";
import { performHostCall } from "./bridge/index.ts";
import type { HostCallRecord } from "./bridge/messages.ts";
import { effectivePolicy, type CapabilitiesConfig } from "./bridge/policy.ts";
import { errors } from "./errors.ts";
import { OverloadedError, type Scheduler } from "./scheduler.ts";
import type { EvalRequest, EvalResponse } from "./wire/eval.ts";

export interface CallContext {
  requestId: string;
  tenant: Tenant;
  signal?: AbortSignal;
}

export interface CallResult {
  response: EvalResponse;
  outcome: Outcome;
  queueMs: number;
}

export class Calls {
  constructor(private readonly scheduler: Scheduler) {}

  async eval(req: EvalRequest, ctx: CallContext): Promise<CallResult> {
    const started = performance.now();
    const limits = resolveCallLimits(req, ctx.tenant.limits);
    const capabilities = ctx.tenant.capabilities as CapabilitiesConfig;
    for (const name of req.capabilities ?? []) {
      if (capabilities[name] === undefined) {
        throw errors.capabilityDenied(`capability '${name}' is not enabled for tenant '${ctx.tenant.name}'`, { capability: name });
      }
    }
    // A fresh policy object per call: it carries this call's host-call budget.
    const policy = effectivePolicy(capabilities, req.capabilities ?? null);
    const hostCalls: HostCallRecord[] = [];
    const deadline = Date.now() + limits.timeout_ms;
    const onHostCall = async (raw: unknown) => {
      const { reply, record } = await performHostCall(raw, { policy, deadline, signal: ctx.signal });
      hostCalls.push(record);
      return reply;
    };
    const job: Job = {
      code: req.code,
      timeout_ms: limits.timeout_ms,
      memory_mb: limits.memory_mb,
      max_output_bytes: limits.max_output_bytes,
      stdin: req.stdin,
      files: req.files,
      return_files: req.return_files,
      seed: req.seed,
    };
    let scheduled;
    try {
      scheduled = await this.scheduler.submit(job, { signal: ctx.signal, onHostCall });
    } catch (e) {
      if (e instanceof OverloadedError) {
        throw errors.overloaded(e.retryAfterSeconds, "All interpreters are busy and the queue is full; retry later.", {
          queue_depth: this.scheduler.depth,
        });
      }
      throw e;
    }
    const { outcome, queueMs } = scheduled;
    const response: EvalResponse = {
      id: ctx.requestId,
      status: outcome.status,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      result: outcome.result,
      error: outcome.error,
      ...(outcome.files ? { files: outcome.files } : {}),
      ...(outcome.truncated ? { truncated: true } : {}),
      host_calls: hostCalls,
      timing: {
        queue_ms: round(queueMs),
        restore_ms: round(outcome.timing.restore_ms),
        exec_ms: round(outcome.timing.exec_ms),
        total_ms: round(performance.now() - started),
      },
    };
    return { response, outcome, queueMs };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
