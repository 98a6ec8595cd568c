// The SDK's public shapes: camelCase views of the wire (sdks/openapi.json). Every duration is in
// milliseconds. The closed sets of names (statuses, capabilities, outcomes) live in enums.ts.
import type { ArborError } from "./errors.ts";
import type { BatchStatus, CallStatus, Capability, HostCallOutcome } from "./enums.ts";

/** A file written into /workspace before the code runs; a string is sent as UTF-8. */
export interface InputFile {
  path: string;
  content: string | Uint8Array;
}

/** A file the code created or changed in /workspace (with `returnFiles: true`). */
export interface OutputFile {
  path: string;
  content: Uint8Array;
}

export interface EvalOptions {
  /** Wall-time limit for the code; default and maximum come from the daemon's config. */
  timeoutMs?: number;
  memoryMb?: number;
  maxOutputBytes?: number;
  stdin?: string;
  files?: InputFile[];
  returnFiles?: boolean;
  capabilities?: Capability[];
  seed?: number;
  /** Cancels the HTTP call (the daemon then cancels the Python call). */
  signal?: AbortSignal;
}

export interface StateEvalOptions extends EvalOptions {
  /** Keep the resulting state too; its id comes back as `result.stateId`. */
  checkpoint?: boolean;
}

/** One program of a batch: the code plus the options of an eval. */
export interface Program extends Omit<EvalOptions, "signal"> {
  code: string;
}

/** One branch of a fork: the code plus the same options as a state eval. */
export interface Branch extends Omit<StateEvalOptions, "signal"> {
  code: string;
}

export interface PythonError {
  type: string;
  message: string;
  traceback: string;
}

export interface HostCall {
  name: string;
  argsSummary: string;
  outcome: HostCallOutcome;
  durationMs: number;
  detail?: string;
}

export interface Timing {
  queueMs: number;
  restoreMs: number;
  /** Waiting for the interpreter to finish restoring after the previous call (0 when it was ready). */
  restoreWaitMs: number;
  execMs: number;
  /** Capturing the state the call left (a checkpointing branch or state creation; else 0). */
  checkpointMs: number;
  totalMs: number;
}

/** One call's outcome. Python failures are a `status`, not an exception. */
export interface EvalResult {
  id: string;
  status: CallStatus;
  /** `status === "ok"`. */
  ok: boolean;
  stdout: string;
  stderr: string;
  /** repr() of the last expression; null when there is none or it is None. */
  result: string | null;
  error: PythonError | null;
  files: OutputFile[];
  truncated: boolean;
  hostCalls: HostCall[];
  timing: Timing;
  /** The kept state: set by createState and by a checkpointing state eval or branch; else null. */
  stateId: string | null;
}

export interface StateInfo {
  id: string;
  parentId: string | null;
  depth: number;
  bytes: number;
  createdAt: string;
  /** Live states made from this one. */
  children: number;
  /** The whole metadata object as the daemon sent it. */
  raw: Record<string, unknown>;
}

export interface ToolParam {
  name: string;
  /** The parameter's WIT type, e.g. "list<item>". */
  type: string;
}

/** A WebAssembly tool the caller's tenant may call (GET /v1/tools). */
export interface Tool {
  name: string;
  description: string;
  /** The WIT signature, e.g. `summarize(name: string, items: list<item>) -> summary`. */
  signature: string;
  params: ToolParam[];
  /** The WIT result type; null for a tool that returns nothing. */
  result: string | null;
  /** Definitions of the named WIT types the signature uses. */
  types: Record<string, string>;
  /** Digest of the component file, pinned in the daemon's config. */
  sha256: string;
  /** WASI interfaces the component imports. */
  interfaces: string[];
  timeoutMs: number;
  memoryMb: number;
}

/** What POST /v1/batches runs: independent programs, or branches of one state (a fork spec). */
export type BatchSpec = { requests: Array<string | Program> } | { stateId: string; branches: Array<string | Branch> };

export interface BatchProgress {
  status: BatchStatus;
  /** Jobs in the batch. */
  total: number;
  /** Jobs with a recorded result. */
  done: number;
}

/**
 * One finished job, recorded once: its eval result, or the error that stopped it (an ArborError
 * subclass for the wire code, not thrown; `status` is undefined, as no HTTP answer carried it).
 */
export type BatchResult =
  | { index: number; response: EvalResult; error: null }
  | { index: number; response: null; error: ArborError };

/** GET /v1/batches/{batch_id}: progress and the finished jobs in the requested range, by index. */
export interface BatchView extends BatchProgress {
  id: string;
  results: BatchResult[];
}

export interface BatchPageOptions {
  /** First job index (default 0). */
  from?: number;
  /** At most this many job indices from `from` (default: to the end). */
  limit?: number;
  signal?: AbortSignal;
}

export interface BatchWaitOptions {
  /** Give up (WaitTimeoutError) when the batch is not finished after this long. Default: no limit. */
  timeoutMs?: number;
  /** Called after the first poll and whenever status or done changes. */
  onProgress?: (progress: BatchProgress) => void;
  /** First wait between polls (default 200); doubled while nothing new arrives. */
  pollIntervalMs?: number;
  /** Longest wait between polls (default 5000). */
  maxPollIntervalMs?: number;
  /** Job indices fetched per GET (default 100). */
  pageSize?: number;
  signal?: AbortSignal;
}
