// Where a call's status is decided: one function, from what the executor observed itself (the
// deadline, memory refusals, output bytes counted at the capture devices, traps) and, only for
// what those leave open, from the runner's report. The cell runs in the same interpreter as the
// runner and can rewrite that report; it can lie about its own result, never about its limits,
// and never into a status that costs the service anything (`crashed` comes only from a trap the
// executor saw).
import type { CallStatus, PythonError } from "../protocol/messages.ts";
import { cutUtf8 } from "../utf8.ts";

/** The runner's report as it wrote it (runtime/python/arbor_runner.py). */
interface RunnerReport {
  status: "ok" | "error" | "interrupted";
  result: string | null;
  error: PythonError | null;
}

/** Caps on what a report may carry into an answer: the cell controls these strings. */
export const MAX_ERROR_FIELD_BYTES = 64 * 1024;

export interface Observed {
  /** The runner returned (false: it threw, was terminated, or the interpreter trapped). */
  finished: boolean;
  /** What it threw, when it did not finish. */
  thrown?: unknown;
  /** The thrown error was the interpreter trapping (not a Python exception or a termination). */
  trapped: boolean;
  deadlinePassed: boolean;
  /** performance.now() of each limit when it was hit, or null. */
  memoryRefusedAt: number | null;
  outputTruncatedAt: number | null;
  deadlineAt: number;
  report: string | null;
  /** Output bytes left for the result (the result shares the stdout+stderr budget). */
  resultBudget: number;
}

export interface Decision {
  status: CallStatus;
  result: string | null;
  error: PythonError | null;
  /** Output (or the result) was cut at the limit. */
  truncated: boolean;
}

export interface CallLimits {
  timeout_ms: number;
  memory_mb: number;
}

export function decideOutcome(o: Observed, limits: CallLimits, describeTrap: (thrown: unknown) => string): Decision {
  const report = o.finished ? parseReport(o.report) : null;
  const limit = firstLimit(o);
  let result = report?.result ?? null;
  let truncated = o.outputTruncatedAt !== null;
  if (result !== null && Buffer.byteLength(result) > o.resultBudget) {
    result = cutUtf8(result, o.resultBudget);
    truncated = true;
  }
  const reported = report?.error ? capError(report.error) : null;

  if (limit === "timeout") return { status: "timeout", result: null, truncated, error: timeoutError(limits, reported) };
  if (limit === "memory_limit") {
    const error = reported?.type === "MemoryError" ? reported : { type: "MemoryError", message: `memory_mb=${limits.memory_mb} reached`, traceback: "" };
    return { status: "memory_limit", result: null, truncated, error };
  }
  if (limit === "output_limit" || (truncated && o.finished)) return { status: "output_limit", result, truncated: true, error: null };
  if (!o.finished && o.trapped) {
    return { status: "crashed", result: null, truncated, error: { type: "InterpreterCrash", message: describeTrap(o.thrown), traceback: "" } };
  }
  if (!report) {
    const message = o.finished ? "the code interfered with the runner's report of its outcome" : "the runner stopped before reporting its outcome";
    return { status: "error", result: null, truncated, error: { type: "RunnerError", message, traceback: "" } };
  }
  // Interrupted with no limit of ours behind it: the cell raised KeyboardInterrupt itself.
  const status = report.status === "ok" ? "ok" : "error";
  return { status, result, truncated, error: status === "ok" ? null : reported };
}

/** The limit the call ran into first, by when the executor saw each. */
function firstLimit(o: Observed): "timeout" | "memory_limit" | "output_limit" | null {
  const hits: Array<[number, "timeout" | "memory_limit" | "output_limit"]> = [];
  if (o.deadlinePassed) hits.push([o.deadlineAt, "timeout"]);
  if (o.memoryRefusedAt !== null) hits.push([o.memoryRefusedAt, "memory_limit"]);
  if (o.outputTruncatedAt !== null) hits.push([o.outputTruncatedAt, "output_limit"]);
  hits.sort((a, b) => a[0] - b[0]);
  return hits[0]?.[1] ?? null;
}

function timeoutError(limits: CallLimits, reported: PythonError | null): PythonError {
  return { type: "TimeoutError", message: `execution exceeded timeout_ms=${limits.timeout_ms}`, traceback: reported?.type === "KeyboardInterrupt" ? reported.traceback : "" };
}

/** The report, if it has the runner's shape; anything else is treated as no report. */
function parseReport(raw: string | null): RunnerReport | null {
  if (raw === null) return null;
  let r: unknown;
  try {
    r = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof r !== "object" || r === null) return null;
  const { status, result, error } = r as Record<string, unknown>;
  if (status !== "ok" && status !== "error" && status !== "interrupted") return null;
  if (result !== null && typeof result !== "string") return null;
  if (error !== null && !isPythonError(error)) return null;
  return { status, result, error };
}

function isPythonError(e: unknown): e is PythonError {
  const x = e as Record<string, unknown> | null;
  return typeof x === "object" && x !== null && typeof x.type === "string" && typeof x.message === "string" && typeof x.traceback === "string";
}

function capError(e: PythonError): PythonError {
  return { type: cutUtf8(e.type, 256), message: cutUtf8(e.message, MAX_ERROR_FIELD_BYTES), traceback: cutUtf8(e.traceback, MAX_ERROR_FIELD_BYTES) };
}
