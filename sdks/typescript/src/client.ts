// Client: the entry point. Evals, states, batches, tools, the low-level `request` every call
// goes through, and the retry loop for 429s (overloaded, rate_limited).
import { Batch } from "./batch.ts";
import { ArborError, RETRYABLE_CODES, invalidResponse } from "./errors.ts";
import { DEFAULT_RETRY_POLICY, retryDelayMs, sleep, type RetryPolicy } from "./retry.ts";
import { ROUTES, routeTo } from "./routes.ts";
import { State } from "./state.ts";
import { Transport, type RawRequest, type RawResponse } from "./transport.ts";
import type { BatchSpec, EvalOptions, EvalResult, Tool } from "./types.ts";
import { fromWireBatchId, fromWireEval, fromWireTools, toWireBatchSpec, toWireEval } from "./wire.ts";

export const VERSION = "0.1.0";
export const DEFAULT_BASE_URL = "http://127.0.0.1:8787";
export const DEFAULT_TIMEOUT_MS = 120_000;
/** Added to a call's own `timeoutMs` so the HTTP deadline never fires before the daemon answers. */
export const DEADLINE_MARGIN_MS = 10_000;

export interface ClientOptions {
  /** Default http://127.0.0.1:8787. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <apiKey>`; needed when the daemon has tenants. */
  apiKey?: string;
  /** Client-side deadline for one HTTP exchange, ms (default 120000); a call asking a longer
   * code `timeoutMs` gets that plus a margin. */
  timeoutMs?: number;
  /** Retries for 429 overloaded / rate_limited (default 2; 0 disables). */
  retries?: number;
  /** First backoff step, ms (default 250). */
  retryBaseDelayMs?: number;
  /** Longest single wait, ms (default 10000); a longer Retry-After is not waited for. */
  retryMaxDelayMs?: number;
  /** Keep-alive connections in the pool (default 16). */
  connections?: number;
}

export class Client {
  readonly baseUrl: string;
  private readonly transport: Transport;
  private readonly retry: RetryPolicy;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    this.retry = {
      retries: nonNegative("retries", options.retries ?? DEFAULT_RETRY_POLICY.retries),
      baseDelayMs: nonNegative("retryBaseDelayMs", options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs),
      maxDelayMs: nonNegative("retryMaxDelayMs", options.retryMaxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs),
    };
    this.transport = new Transport({
      baseUrl: this.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: positive("timeoutMs", options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      connections: positive("connections", options.connections ?? 16),
      userAgent: `arbor-client-ts/${VERSION}`,
    });
  }

  /** Runs `code` in a fresh interpreter. Python failures come back as `status`, not thrown. */
  async eval(code: string, options: EvalOptions = {}): Promise<EvalResult> {
    const res = await this.request({
      ...routeTo(ROUTES.eval),
      json: toWireEval(code, options),
      timeoutMs: this.deadlineFor(options.timeoutMs),
      signal: options.signal,
    });
    return fromWireEval(res.body, res.requestId);
  }

  /** Runs `code` in a fresh interpreter and keeps the resulting state (POST /v1/states). */
  async createState(code: string, options: EvalOptions = {}): Promise<State> {
    const res = await this.request({
      ...routeTo(ROUTES.createState),
      json: toWireEval(code, options),
      timeoutMs: this.deadlineFor(options.timeoutMs),
      signal: options.signal,
    });
    const result = fromWireEval(res.body, res.requestId);
    if (result.stateId === null) throw invalidResponse("a created state without a state_id", res.requestId);
    return new State(this, result.stateId, result);
  }

  /** A handle to an existing state by id (no request is made). */
  state(stateId: string): State {
    return new State(this, stateId, null);
  }

  /**
   * POST /v1/batches: programs (`{ requests }`) or branches of one state (`{ stateId, branches }`)
   * run as independent jobs on the daemon's workers. Returns at once (202) with the handle.
   */
  async submitBatch(spec: BatchSpec, options: { signal?: AbortSignal } = {}): Promise<Batch> {
    const res = await this.request({ ...routeTo(ROUTES.submitBatch), json: toWireBatchSpec(spec), signal: options.signal });
    return new Batch(this, fromWireBatchId(res.body, res.requestId));
  }

  /** A handle to an existing batch by id (no request is made). */
  batch(batchId: string): Batch {
    return new Batch(this, batchId);
  }

  /** GET /v1/tools: the WebAssembly tools this caller's tenant may call. */
  async tools(options: { signal?: AbortSignal } = {}): Promise<Tool[]> {
    const res = await this.request({ ...routeTo(ROUTES.tools), signal: options.signal });
    return fromWireTools(res.body, res.requestId);
  }

  /** GET /healthz. */
  async health(): Promise<Record<string, unknown>> {
    return (await this.request(routeTo(ROUTES.health))).body as Record<string, unknown>;
  }

  /**
   * One call on the wire, with 429 retries and typed errors: any non-2xx throws the ArborError
   * subclass for its `code`. The escape hatch for endpoints the SDK does not wrap yet.
   */
  async request(req: RawRequest): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transport.send(req);
      } catch (err) {
        if (!(err instanceof ArborError) || !RETRYABLE_CODES.has(err.code) || attempt >= this.retry.retries) throw err;
        const delay = retryDelayMs(attempt, err.retryAfterSeconds, this.retry);
        if (delay === undefined) throw err;
        await sleep(delay, req.signal);
      }
    }
  }

  /** The HTTP deadline for a call whose code may run `codeTimeoutMs`. */
  deadlineFor(codeTimeoutMs: number | undefined): number | undefined {
    return codeTimeoutMs === undefined ? undefined : Math.max(this.defaultDeadline(), codeTimeoutMs + DEADLINE_MARGIN_MS);
  }

  /** Closes the keep-alive connections; later calls throw ConnectionError. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private defaultDeadline(): number {
    return this.transport.timeoutMs;
  }
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number >= 0, got ${value}`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a number > 0, got ${value}`);
  return value;
}
