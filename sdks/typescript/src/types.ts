// The SDK's public shapes: camelCase views of the wire (sdks/contract, /work/shared/CONTRACT.md).
// Every duration is in milliseconds.

export type CallStatus = "ok" | "error" | "timeout" | "memory_limit" | "output_limit" | "crashed";
export type Capability = "shell" | "files" | "web_fetch" | "tools";

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
  outcome: "ok" | "denied" | "error";
  durationMs: number;
  detail?: string;
}

export interface Timing {
  queueMs: number;
  restoreMs: number;
  execMs: number;
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
  /** The whole metadata object as the daemon sent it. */
  raw: Record<string, unknown>;
}
