// Durable batches (`POST /v1/batches`): many programs, or K branches of one state, run as
// independent jobs; the client polls progress and the results so far, and may cancel what has
// not run. Two implementations behind one interface: BullMQ on Redis (redis-batches.ts: every
// daemon's workers take jobs, a dead daemon's jobs are retried elsewhere) and this process
// (memory-batches.ts: memory mode, nothing to install). Jobs run through an injected runner, so
// they go through the daemon's own scheduler, limits, tenant policy and capabilities.
import type { EvalRequest, EvalResponse } from "../wire/eval.ts";
import type { StateEvalRequest } from "../wire/states.ts";

/** What a client submits: programs, or branches of one state (a fork spec). */
export type BatchSpec = { requests: EvalRequest[] } | { state_id: string; branches: StateEvalRequest[] };

/** One job of a batch. */
export interface BatchWork {
  /** An eval request; for a fork spec, one branch (which may ask for a checkpoint). */
  request: StateEvalRequest;
  /** Fork spec: the state the branch runs on a fresh copy of. */
  state_id?: string;
}

export interface BatchJobContext {
  tenant: string;
  batchId: string;
  index: number;
  /** 1 for the first run of this job; more after a retryable error or a dead worker. */
  attempt: number;
  /** Aborted when the daemon shuts down without waiting for running jobs. */
  signal: AbortSignal;
}

/** Runs one job (the daemon's call path, run-job.ts). Throw ArborError for a typed failure. */
export type BatchRunner = (work: BatchWork, ctx: BatchJobContext) => Promise<EvalResponse>;

export const BATCH_STATUSES = ["queued", "running", "done", "cancelled"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** The public error body (errors.ts) of a job that failed before or instead of running. */
export interface BatchError {
  code: string;
  message: string;
  details?: unknown;
}

/** One finished job: its eval response, or why it has none. Recorded once per index. */
export type BatchResult = { index: number; response: EvalResponse } | { index: number; error: BatchError };

export interface BatchView {
  batch_id: string;
  status: BatchStatus;
  /** Jobs in the batch. */
  total: number;
  /** Jobs with a recorded result. */
  done: number;
  created_at: string;
  /** Finished jobs in the requested index range, by index. */
  results: BatchResult[];
}

export interface ResultRange {
  /** First index (default 0). */
  from?: number;
  /** At most this many indices from `from` (default: to the end). */
  limit?: number;
}

export interface WorkerOptions {
  /** Jobs this daemon runs at once (by default its executor count, so jobs do not pile up locally). */
  concurrency: number;
}

export interface BatchQueue {
  readonly kind: "memory" | "redis";
  /** Accepts a batch (1..maxItems jobs) for this tenant; it runs as workers take its jobs. */
  submit(tenant: string, spec: BatchSpec): Promise<BatchView>;
  /** Progress and results so far; undefined for no batch of this tenant (`batch_not_found`). */
  get(tenant: string, batchId: string, range?: ResultRange): Promise<BatchView | undefined>;
  /**
   * Cancels what has not started; running jobs finish and their results are kept. A finished
   * batch is left as it is. Undefined for no batch of this tenant.
   */
  cancel(tenant: string, batchId: string): Promise<BatchView | undefined>;
  /** Starts taking jobs (any batch, any tenant) and running them through `run`. */
  startWorkers(run: BatchRunner, options: WorkerOptions): void;
  /** Stops taking jobs; waits for running ones unless `force`. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface BatchQueueOptions {
  /** The most jobs one batch may hold (the "configured number of programs"). */
  maxItems: number;
  /** How long a finished or cancelled batch stays readable. Default 24 h. */
  retentionMs?: number;
  /** Runs of a job that fails with a retryable error (overloaded, unavailable). Default 5. */
  attempts?: number;
  /** First retry delay after a retryable error, doubled each time. Default 500 ms. */
  backoffMs?: number;
}
