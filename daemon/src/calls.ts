// From a validated request to a wire response: resolve the tenant's limits, schedule the job on
// an executor, and shape the outcome for the wire. Routes stay thin; this is the call's path.
import type { Job, Outcome } from "../../runtime/src/protocol/messages.ts";
import type { Tenant } from "./auth.ts";
import { resolveCallLimits } from "./config/index.ts";
import { performHostCall } from "./bridge/index.ts";
import type { HostCallRecord } from "./bridge/messages.ts";
import { effectivePolicy, type CapabilitiesConfig } from "./bridge/policy.ts";
import { CrashBudget } from "./crash-budget.ts";
import { errors } from "./errors.ts";
import { OverloadedError, type Scheduler } from "./scheduler.ts";
import type { Placement } from "./states/placement.ts";
import { StateStore, type StoredState } from "./states/store.ts";
import type { ExecutorProcess } from "../../runtime/src/host/executor-process.ts";
import type { ToolService } from "./tools/service.ts";
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
  /** The executor process that ran the call (logs, tests of tenant isolation). */
  executorPid: number;
  /** Set when the call asked for a checkpoint and left a usable state. */
  state?: StoredState;
}

/** Where a call starts and whether its end is kept (the branching endpoints). */
export interface CallTarget {
  /** Run on a fresh copy of this state instead of the snapshot. */
  base?: StoredState;
  checkpoint?: boolean;
  /** One branch of a fork: admitted past queue.max_length (the fork is bounded by itself). */
  branch?: boolean;
}

export class Calls {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly store: StateStore,
    private readonly placement: Placement,
    /** Registered WebAssembly tools, for `host.tool()` (daemon/src/tools/). */
    private readonly tools?: ToolService,
    private readonly crashes: CrashBudget = new CrashBudget(),
  ) {}

  async eval(req: EvalRequest, ctx: CallContext, target: CallTarget = {}): Promise<CallResult> {
    const started = performance.now();
    this.crashes.enforce(ctx.tenant);
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
    // Host calls share the call's wall time, counted from when it starts running (not queued).
    let deadline = Date.now() + limits.timeout_ms;
    const onHostCall = async (raw: unknown) => {
      const { reply, record } = await performHostCall(raw, { policy, deadline, signal: ctx.signal, tools: this.tools });
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
      base_state: target.base?.id,
      checkpoint_id: target.checkpoint ? StateStore.newId() : undefined,
    };
    let madeOn: ExecutorProcess | undefined;
    const forExecutor = (ex: ExecutorProcess) => {
      madeOn = ex;
      deadline = Date.now() + limits.timeout_ms;
      return this.placement.prepare(ex, job);
    };
    let scheduled;
    try {
      scheduled = await this.scheduler.submit(forExecutor, {
        signal: ctx.signal,
        onHostCall,
        tenant: { name: ctx.tenant.name, concurrency: ctx.tenant.limits.concurrency },
        unbounded: target.branch,
      });
    } catch (e) {
      if (e instanceof OverloadedError) {
        throw errors.overloaded(e.retryAfterSeconds, "All interpreters are busy and the queue is full; retry later.", {
          queue_depth: this.scheduler.depth,
        });
      }
      throw e;
    }
    const { outcome, queueMs } = scheduled;
    if (outcome.status === "crashed" || scheduled.executorLost) this.crashes.record(ctx.tenant.name);
    let state: StoredState | undefined;
    if (outcome.checkpoint) {
      if (outcome.checkpoint.id !== job.checkpoint_id || outcome.checkpoint.parent_id !== (job.base_state ?? null)) {
        throw errors.internal(new Error("executor returned a checkpoint that was not asked for"));
      }
      // The parent may have been evicted while this call ran: the child (a diff against it)
      // cannot be kept then, and the response says so with state_id null.
      if (!outcome.checkpoint.parent_id || this.store.chain(outcome.checkpoint.parent_id).length > 0) {
        state = this.store.add(ctx.tenant.name, outcome.checkpoint);
        if (madeOn) this.placement.madeOn(madeOn, state.id);
      } else if (madeOn) {
        // Not kept: the executor that made it drops it with its next job.
        this.placement.dropOn(madeOn, outcome.checkpoint.id);
      }
      delete outcome.checkpoint;
    }
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
    if (target.checkpoint) response.state_id = state?.id ?? null;
    return { response, outcome, queueMs, state, executorPid: scheduled.executorPid };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
