// Messages between the daemon and an executor process. The daemon treats every message from an
// executor as hostile (runtime/src/host/ validates them with zod); these are the shapes.

import type { StateBlob } from "../executor/state-cache.ts";

export type { StateBlob };

export type CallStatus = "ok" | "error" | "timeout" | "memory_limit" | "output_limit" | "crashed";

export interface InputFile {
  path: string;
  content_b64: string;
}

/** One call, as the executor runs it. Limits are already resolved by the daemon. */
export interface Job {
  code: string;
  timeout_ms: number;
  memory_mb: number;
  max_output_bytes: number;
  stdin?: string;
  files?: InputFile[];
  return_files?: boolean;
  seed?: number;
  /** Run on a fresh copy of this state instead of the snapshot. */
  base_state?: string;
  /** Keep the state this call leaves, under this id (the outcome carries it back). */
  checkpoint_id?: string;
  /** States this executor does not hold yet, ancestors first (loaded before the call). */
  load_states?: StateBlob[];
  /** States this executor may drop (deleted or evicted by the daemon). */
  forget_states?: string[];
}

export interface PythonError {
  type: string;
  message: string;
  traceback: string;
}

export interface Outcome {
  status: CallStatus;
  stdout: string;
  stderr: string;
  result: string | null;
  error: PythonError | null;
  files?: InputFile[];
  truncated: boolean;
  timing: { restore_ms: number; exec_ms: number };
  /** Bytes of linear memory at the end of the call (before its restore). */
  memory_bytes: number;
  /** The kept state, when the job asked for a checkpoint and the call left a usable state. */
  checkpoint?: StateBlob;
}

export interface ExecutorInfo {
  pid: number;
  strategy: string;
  strategy_reason: string;
  /** How the wall-time limit stops a call: a native deadline thread, or node:vm's timeout (fallback). */
  call_guard: "native" | "vm";
  call_guard_reason: string;
  boot_ms: number;
  baseline_bytes: number;
  /** Hash of the post-init snapshot; every executor of one build reports the same. */
  image: string;
  /** How the interpreter was loaded: from the shared Pyodide snapshot, or a full load. */
  boot: "snapshot" | "full";
  pyodide_version: string;
}

/** The interpreter's state outside linear memory, hashed per part (see interpreter/fingerprint.ts). */
export interface StateFingerprintReport {
  hash: string;
  parts: Record<string, string>;
}

export type ToExecutor =
  | { t: "run"; id: number; job: Job }
  | { t: "ping"; id: number }
  /** Between jobs: the fingerprint of the state the executor rests in (tests, diagnostics). */
  | { t: "fingerprint"; id: number }
  | { t: "host_reply"; id: number; reply: unknown };

export type FromExecutor =
  | { t: "ready"; info: ExecutorInfo }
  | { t: "result"; id: number; outcome: Outcome }
  | { t: "pong"; id: number }
  | { t: "fingerprint"; id: number; fingerprint: StateFingerprintReport }
  /** The call ended by a trap or a termination: the executor checks itself before answering. */
  | { t: "recovering"; id: number }
  | { t: "host_call"; id: number; call: unknown }
  | { t: "fatal"; message: string }
  /** Sent after a result when the executor recycles itself (call count or table growth); it then exits 0. */
  | { t: "retire"; reason: string };
