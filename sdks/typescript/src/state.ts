// State: a kept interpreter state on the daemon. Every eval and every fork branch runs in a
// fresh copy of it, so the state itself never changes; `checkpoint` keeps a new one.
import type { Client } from "./client.ts";
import { invalidResponse } from "./errors.ts";
import { ROUTES, routeTo } from "./routes.ts";
import type { Branch, EvalResult, StateEvalOptions, StateInfo } from "./types.ts";
import { fromWireEval, fromWireStateInfo, toWireEval, toWireProgram } from "./wire.ts";

export class State {
  constructor(
    private readonly client: Client,
    readonly id: string,
    /** The eval that created this state (null for a handle made with `client.state(id)`). */
    readonly result: EvalResult | null,
  ) {}

  /** Runs `code` in a fresh copy of this state; with `checkpoint: true`, `result.stateId` is the new state. */
  async eval(code: string, options: StateEvalOptions = {}): Promise<EvalResult> {
    const res = await this.client.request({
      ...routeTo(ROUTES.stateEval, this.params),
      json: toWireEval(code, options),
      timeoutMs: this.client.deadlineFor(options.timeoutMs),
      signal: options.signal,
    });
    return fromWireEval(res.body, res.requestId);
  }

  /** Runs each branch in its own fresh copy of this state; results in branch order. */
  async fork(branches: Array<string | Branch>, options: { signal?: AbortSignal } = {}): Promise<EvalResult[]> {
    const codeTimeout = branches.reduce((sum, b) => sum + (typeof b === "string" ? 0 : (b.timeoutMs ?? 0)), 0);
    const res = await this.client.request({
      ...routeTo(ROUTES.stateFork, this.params),
      json: { branches: branches.map(toWireProgram) },
      timeoutMs: this.client.deadlineFor(codeTimeout > 0 ? codeTimeout : undefined),
      signal: options.signal,
    });
    const body = res.body as { results?: unknown } | null;
    if (!body || !Array.isArray(body.results)) throw invalidResponse("a fork response without results", res.requestId);
    return body.results.map((r) => fromWireEval(r, res.requestId));
  }

  /** GET /v1/states/{id}: parent, depth, size, creation time. */
  async info(): Promise<StateInfo> {
    const res = await this.client.request(routeTo(ROUTES.stateInfo, this.params));
    return fromWireStateInfo(res.body, this.id, res.requestId);
  }

  /** DELETE /v1/states/{id}. */
  async delete(): Promise<void> {
    await this.client.request(routeTo(ROUTES.stateDelete, this.params));
  }

  /** A handle to the state a checkpointing eval or branch kept. */
  child(result: EvalResult): State {
    if (result.stateId === null) throw new TypeError("This result kept no state; pass checkpoint: true.");
    return new State(this.client, result.stateId, result);
  }

  private get params(): { state_id: string } {
    return { state_id: this.id };
  }
}
