// From a validated request to a wire response, in named steps: admit (crash budget, limits,
// capabilities), build the job, schedule it on an executor (host calls served meanwhile), keep
// the checkpoint it left, shape the answer. Routes stay thin; this is the call's path.
import type { Job, Outcome } from "../../../runtime/src/protocol/messages.ts";
import type { ExecutorProcess } from "../../../runtime/src/host/executor-process.ts";
import type { Tenant } from "../auth.ts";
import { performHostCall } from "../bridge/index.ts";
import type { HostCallRecord } from "../bridge/messages.ts";
import { effectivePolicy, type CapabilitiesConfig, type EffectivePolicy } from "../bridge/policy.ts";
import { resolveCallLimits, type CallLimits } from "../config/index.ts";
import { errors } from "../errors.ts";
import type { ToolService } from "../tools/service.ts";
import type { EvalRequest, EvalResponse } from "../wire/eval.ts";
import { CrashBudget } from "./crash-budget.ts";
import { OverloadedError, type Scheduler } from "./scheduler.ts";
import type { StateMeta } from "./states/backend.ts";
import { MissingEnvelopeError, type BaseState } from "./states/placement.ts";
import type { StateService } from "./states/service.ts";

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
  state?: StateMeta;
}

/** Where a call starts and whether its end is kept (the branching endpoints). */
export interface CallTarget {
  /** Run on a fresh copy of this state instead of the snapshot (looked up by StateService.open). */
  base?: BaseState;
  checkpoint?: boolean;
  /** One branch of a fork: admitted past queue.max_length (the fork is bounded by itself). */
  branch?: boolean;
}

interface Ran {
  outcome: Outcome;
  queueMs: number;
  executorPid: number;
  executorLost: boolean;
  /** The executor the call ran on (it holds the checkpoint the call made). */
  ranOn: ExecutorProcess | undefined;
}

/**
 * The host calls of one Python call: its policy (with this call's host-call budget), the audit
 * records, and a deadline shared with the call's wall time, counted from when it starts running.
 */
class HostCallSession {
  readonly records: HostCallRecord[] = [];
  private deadline: number;

  constructor(
    private readonly policy: EffectivePolicy,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
    private readonly tools: ToolService | undefined,
  ) {
    this.deadline = Date.now() + timeoutMs;
  }

  /** The call starts running now (not when it was queued). */
  start(): void {
    this.deadline = Date.now() + this.timeoutMs;
  }

  readonly handle = async (raw: unknown): Promise<unknown> => {
    const { reply, record } = await performHostCall(raw, {
      policy: this.policy,
      deadline: this.deadline,
      signal: this.signal,
      tools: this.tools,
      // A tool's HTTP requests land here as they finish, before the tool call's own record.
      audit: (r) => this.records.push(r),
    });
    this.records.push(record);
    return reply;
  };
}

export class Calls {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly states: StateService,
    /** Registered WebAssembly tools, for `host.tool()` (daemon/src/tools/). */
    private readonly tools?: ToolService,
    private readonly crashes: CrashBudget = new CrashBudget(),
  ) {}

  async eval(req: EvalRequest, ctx: CallContext, target: CallTarget = {}): Promise<CallResult> {
    const started = performance.now();
    const { limits, policy } = this.admit(req, ctx);
    const host = new HostCallSession(policy, limits.timeout_ms, ctx.signal, this.tools);
    const job = buildJob(req, limits, target, target.checkpoint ? this.states.newId() : undefined);
    const ran = await this.scheduleOnState(job, ctx, target, host);
    if (ran.outcome.status === "crashed" || ran.executorLost) this.crashes.record(ctx.tenant.name);
    const state = await this.keepCheckpoint(ran, job, ctx.tenant);
    const response = shapeResponse(ran.outcome, ran.queueMs, host.records, ctx.requestId, started);
    if (target.checkpoint) response.state_id = state?.id ?? null;
    return { response, outcome: ran.outcome, queueMs: ran.queueMs, state, executorPid: ran.executorPid };
  }

  /** The tenant's crash budget, the call's limits, and the capabilities it may ask for. */
  private admit(req: EvalRequest, ctx: CallContext): { limits: CallLimits; policy: EffectivePolicy } {
    this.crashes.enforce(ctx.tenant);
    const limits = resolveCallLimits(req, ctx.tenant.limits);
    const capabilities = ctx.tenant.capabilities as CapabilitiesConfig;
    for (const name of req.capabilities ?? []) {
      if (capabilities[name] === undefined) {
        throw errors.capabilityDenied(`capability '${name}' is not enabled for tenant '${ctx.tenant.name}'`, { capability: name });
      }
    }
    // A fresh policy object per call: it carries this call's host-call budget.
    return { limits, policy: effectivePolicy(capabilities, req.capabilities ?? null) };
  }

  /**
   * schedule(), and once more with the state's whole chain when the executor it landed on joined
   * after the state was looked up (it lacks a state whose envelope was skipped).
   */
  private async scheduleOnState(job: Job, ctx: CallContext, target: CallTarget, host: HostCallSession): Promise<Ran> {
    try {
      return await this.schedule(job, ctx, target, host);
    } catch (e) {
      if (!(e instanceof MissingEnvelopeError) || !target.base) throw e;
      return this.schedule(job, ctx, { ...target, base: await this.states.reopen(target.base) }, host);
    }
  }

  /** Runs the job on an executor: the states it lacks go with it; a full queue is `overloaded`. */
  private async schedule(job: Job, ctx: CallContext, target: CallTarget, host: HostCallSession): Promise<Ran> {
    let ranOn: ExecutorProcess | undefined;
    const forExecutor = (ex: ExecutorProcess) => {
      ranOn = ex;
      host.start();
      return this.states.prepare(ex, job, target.base);
    };
    try {
      const scheduled = await this.scheduler.submit(forExecutor, {
        signal: ctx.signal,
        onHostCall: host.handle,
        tenant: { name: ctx.tenant.name, concurrency: ctx.tenant.limits.concurrency },
        unbounded: target.branch,
      });
      return { ...scheduled, ranOn };
    } catch (e) {
      if (e instanceof OverloadedError) {
        throw errors.overloaded(e.retryAfterSeconds, "All interpreters are busy and the queue is full; retry later.", { queue_depth: this.scheduler.depth });
      }
      throw e;
    }
  }

  /** Keeps the state the call left, when it asked for one and its parent is still there. */
  private async keepCheckpoint(ran: Ran, job: Job, tenant: Tenant): Promise<StateMeta | undefined> {
    const made = ran.outcome.checkpoint;
    if (!made) return undefined;
    delete ran.outcome.checkpoint;
    if (made.id !== job.checkpoint_id || made.parent_id !== (job.base_state ?? null)) {
      throw errors.internal(new Error("executor returned a checkpoint that was not asked for"));
    }
    // The parent may have been evicted while this call ran: the child (a diff against it) cannot
    // be kept then, and the response says so with state_id null.
    return this.states.keep(ran.ranOn, tenant.name, made);
  }
}

function buildJob(req: EvalRequest, limits: CallLimits, target: CallTarget, checkpointId: string | undefined): Job {
  return {
    code: req.code,
    timeout_ms: limits.timeout_ms,
    memory_mb: limits.memory_mb,
    max_output_bytes: limits.max_output_bytes,
    stdin: req.stdin,
    files: req.files,
    return_files: req.return_files,
    seed: req.seed,
    base_state: target.base?.state.id,
    checkpoint_id: checkpointId,
  };
}

function shapeResponse(outcome: Outcome, queueMs: number, hostCalls: HostCallRecord[], requestId: string, started: number): EvalResponse {
  return {
    id: requestId,
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
      restore_wait_ms: round(outcome.timing.restore_wait_ms ?? 0),
      exec_ms: round(outcome.timing.exec_ms),
      checkpoint_ms: round(outcome.timing.checkpoint_ms ?? 0),
      total_ms: round(performance.now() - started),
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
