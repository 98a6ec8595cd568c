// Runs one job on a freshly restored interpreter: input files in, limits on, the cell run like a
// REPL, output files out, one Outcome back. The restore after it is the caller's (executor loop).
import { posix } from "node:path";
import type { Interpreter } from "./interpreter.ts";
import type { CallGuard, Guarded } from "./call-guard.ts";
import { decideOutcome } from "./outcome.ts";
import { scrubHostDetail } from "./scrub.ts";
import { mib, type StateCache } from "./state-cache.ts";
import { MAX_CHECKPOINT_BYTES } from "../protocol/frames.ts";
import { failedOutcome, type InputFile, type Job, type Outcome, type PythonError } from "../protocol/messages.ts";

const MIB = 1024 * 1024;
/** How long past the deadline the soft interrupt gets before V8 terminates the call itself. */
export const TERMINATE_GRACE_MS = 50;

/** Resolves a request path inside the workspace; refuses anything that would land outside it. */
export function workspacePath(workspace: string, path: string): string {
  if (path.includes("\0")) throw new Error(`invalid file path ${JSON.stringify(path)}: contains NUL`);
  const resolved = posix.resolve(workspace, path);
  if (resolved !== workspace && !resolved.startsWith(`${workspace}/`)) {
    throw new Error(`invalid file path ${JSON.stringify(path)}: outside ${workspace}`);
  }
  if (resolved === workspace) throw new Error(`invalid file path ${JSON.stringify(path)}: is the workspace itself`);
  return resolved;
}

export interface Executed {
  outcome: Outcome;
  /**
   * The call did not end on its own: the interpreter trapped, or V8 terminated it at the
   * deadline. Either can leave JS-side state half-updated; the executor checks before reuse.
   */
  disturbed: boolean;
}

/**
 * `onLargeCapture`: called when the state to keep is large enough that capturing it may outlast
 * the call's hard deadline (the executor tells the daemon, which gives the capture its own).
 */
export function execute(interp: Interpreter, guard: CallGuard | null, job: Job, restoreMs: number, states: StateCache, onLargeCapture?: () => void): Executed {
  const engine = interp.engine;
  const inputs = new Map<string, string>();
  engine.beginCall(job.memory_mb * MIB);
  // Between calls the interpreter rests in the last call's base state; move it if this call
  // starts elsewhere.
  const enterStarted = performance.now();
  try {
    const base = job.base_state ?? null;
    const forget = job.forget_states ?? [];
    // Forgotten after entering the base: forgetting the state this executor rests in first
    // would write the snapshot's pages back, only for the base's to be written next. A base the
    // daemon also asks to forget is forgotten first, so that entering it fails as it must.
    const forgetFirst = base !== null && forget.includes(base);
    if (forgetFirst) states.forget(interp, forget);
    for (const blob of job.load_states ?? []) states.add(blob);
    states.enter(interp, base, job.memory_mb * MIB);
    if (!forgetFirst) states.forget(interp, forget);
  } catch (e) {
    return { outcome: failedOutcome("error", { type: "StateError", message: (e as Error).message, traceback: "" }, { restoreMs, memoryBytes: interp.memoryBytes }), disturbed: false };
  }
  restoreMs += performance.now() - enterStarted;
  try {
    for (const file of job.files ?? []) {
      const path = workspacePath(engine.files.workspace, file.path);
      engine.files.write(path, Buffer.from(file.content_b64, "base64"));
      inputs.set(path, file.content_b64);
    }
  } catch (e) {
    return { outcome: failedOutcome("error", { type: "ValueError", message: (e as Error).message, traceback: "" }, { restoreMs, memoryBytes: interp.memoryBytes }), disturbed: false };
  }

  const runCell = engine.startCell(job, job.max_output_bytes);
  const started = performance.now();
  const guarded: Guarded<void> = guard ? guard.run(runCell, job.timeout_ms, TERMINATE_GRACE_MS) : unguarded(runCell);
  const execMs = performance.now() - started;
  const seen = engine.endCell();
  const decided = decideOutcome(
    {
      finished: guarded.ok,
      thrown: guarded.ok ? undefined : guarded.error,
      trapped: !guarded.ok && !guarded.terminated && engine.isTrap(guarded.error),
      deadlinePassed: guarded.deadlinePassed,
      memoryRefusedAt: engine.memoryRefusedAt,
      outputTruncatedAt: seen.truncatedAt,
      deadlineAt: started + job.timeout_ms,
      report: seen.report,
      resultBudget: job.max_output_bytes - seen.outputBytes,
    },
    job,
    (thrown) => scrubHostDetail(engine.describeTrap(thrown)),
  );
  const outcome: Outcome = {
    status: decided.status,
    stdout: seen.stdout,
    stderr: seen.stderr,
    result: decided.result,
    error: decided.error,
    truncated: decided.truncated,
    timing: { restore_ms: restoreMs, exec_ms: execMs },
    memory_bytes: interp.memoryBytes,
  };
  if (job.return_files) outcome.files = changedFiles(interp, inputs);
  // A state is kept after a normal end or a Python error; after a timeout, a memory or output
  // limit the interpreter was stopped mid-way, and that is not a state anyone can build on.
  if (job.checkpoint_id && (decided.status === "ok" || decided.status === "error")) {
    const captureStarted = performance.now();
    // Too large to send and keep: not kept, and the answer says why (the daemon would otherwise
    // see an oversized frame and kill this executor as a protocol breach).
    const made = states.capture(interp, job.checkpoint_id, job.base_state ?? null, { maxPackedBytes: MAX_CHECKPOINT_BYTES, onLarge: onLargeCapture });
    outcome.timing.checkpoint_ms = performance.now() - captureStarted;
    if (made) {
      outcome.checkpoint = made;
    } else {
      outcome.status = "error";
      outcome.error = tooLargeToKeep(outcome.error);
    }
  }
  return { outcome, disturbed: !guarded.ok && (guarded.terminated || engine.isTrap(guarded.error)) };
}

function tooLargeToKeep(raised: PythonError | null): PythonError {
  const also = raised ? ` (the cell also raised ${raised.type}: ${raised.message})` : "";
  return {
    type: "StateError",
    message: `the state this call left is too large to keep: its pages take more than ${mib(MAX_CHECKPOINT_BYTES)} MiB compressed, the most a kept state can take${also}`,
    traceback: raised?.traceback ?? "",
  };
}

/** Without a guard (in-process tests and tools): no wall-time limit. */
function unguarded<T>(fn: () => T): Guarded<T> {
  try {
    return { ok: true, value: fn(), deadlinePassed: false };
  } catch (error) {
    return { ok: false, error, terminated: false, deadlinePassed: false };
  }
}

/** Files under the workspace that the call created or changed (untouched inputs are not sent back). */
function changedFiles(interp: Interpreter, inputs: Map<string, string>): InputFile[] {
  const { workspace } = interp.engine.files;
  const out: InputFile[] = [];
  for (const { path, bytes } of interp.engine.files.list(workspace)) {
    const b64 = Buffer.from(bytes).toString("base64");
    if (inputs.get(path) !== b64) out.push({ path: path.slice(workspace.length + 1), content_b64: b64 });
  }
  return out;
}
