// Runs one job on a freshly restored interpreter: input files in, limits on, the cell run like a
// REPL, output files out, one Outcome back. The restore after it is the caller's (executor loop).
import { posix } from "node:path";
import { WORKSPACE } from "../engine/pyodide/boot.ts";
import type { Interpreter } from "./interpreter.ts";
import { InterpreterTrap } from "../engine/pyodide/js-state.ts";
import type { CallGuard, Guarded } from "./call-guard.ts";
import { decideOutcome } from "./outcome.ts";
import { scrubHostDetail } from "./scrub.ts";
import { encodeJob } from "../engine/pyodide/call-devices.ts";
import type { StateCache } from "./state-cache.ts";
import type { CallStatus, InputFile, Job, Outcome, PythonError } from "../protocol/messages.ts";

const MIB = 1024 * 1024;
/** How long past the deadline the soft interrupt gets before V8 terminates the call itself. */
export const TERMINATE_GRACE_MS = 50;

/** Resolves a request path inside /workspace; refuses anything that would land outside it. */
export function workspacePath(path: string): string {
  if (path.includes("\0")) throw new Error(`invalid file path ${JSON.stringify(path)}: contains NUL`);
  const resolved = posix.resolve(WORKSPACE, path);
  if (resolved !== WORKSPACE && !resolved.startsWith(`${WORKSPACE}/`)) {
    throw new Error(`invalid file path ${JSON.stringify(path)}: outside ${WORKSPACE}`);
  }
  if (resolved === WORKSPACE) throw new Error(`invalid file path ${JSON.stringify(path)}: is the workspace itself`);
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

export function execute(interp: Interpreter, guard: CallGuard | null, job: Job, restoreMs: number, states: StateCache): Executed {
  const { pyodide, memoryCap, runCell, calls } = interp.booted;
  const FS = pyodide.FS;
  const inputs = new Map<string, string>();
  memoryCap.beginCall(job.memory_mb * MIB);
  // Between calls the interpreter rests in the last call's base state; move it if this call
  // starts elsewhere.
  const enterStarted = performance.now();
  try {
    if (job.forget_states) states.forget(interp, job.forget_states);
    for (const blob of job.load_states ?? []) states.add(blob);
    states.enter(interp, job.base_state ?? null);
  } catch (e) {
    return { outcome: failedOutcome("error", { type: "StateError", message: (e as Error).message, traceback: "" }, { restoreMs, memoryBytes: interp.memoryBytes }), disturbed: false };
  }
  restoreMs += performance.now() - enterStarted;
  try {
    for (const file of job.files ?? []) {
      const path = workspacePath(file.path);
      FS.mkdirTree(posix.dirname(path));
      FS.writeFile(path, Buffer.from(file.content_b64, "base64"));
      inputs.set(path, file.content_b64);
    }
  } catch (e) {
    return { outcome: failedOutcome("error", { type: "ValueError", message: (e as Error).message, traceback: "" }, { restoreMs, memoryBytes: interp.memoryBytes }), disturbed: false };
  }

  calls.begin(encodeJob(job), Buffer.from(job.stdin ?? "", "utf8"), job.max_output_bytes);
  const started = performance.now();
  const guarded: Guarded<void> = guard ? guard.run(runCell, job.timeout_ms, TERMINATE_GRACE_MS) : unguarded(runCell);
  const execMs = performance.now() - started;
  const seen = calls.end();
  const decided = decideOutcome(
    {
      finished: guarded.ok,
      thrown: guarded.ok ? undefined : guarded.error,
      trapped: !guarded.ok && !guarded.terminated && guarded.error instanceof InterpreterTrap,
      deadlinePassed: guarded.deadlinePassed,
      memoryRefusedAt: memoryCap.refusedAt,
      outputTruncatedAt: seen.truncatedAt,
      deadlineAt: started + job.timeout_ms,
      report: seen.report,
      resultBudget: job.max_output_bytes - seen.outputBytes,
    },
    job,
    describeTrap,
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
    outcome.checkpoint = states.capture(interp, job.checkpoint_id, job.base_state ?? null);
  }
  return { outcome, disturbed: !guarded.ok && (guarded.terminated || guarded.error instanceof InterpreterTrap) };
}

/** Without a guard (in-process tests and tools): no wall-time limit. */
function unguarded<T>(fn: () => T): Guarded<T> {
  try {
    return { ok: true, value: fn(), deadlinePassed: false };
  } catch (error) {
    return { ok: false, error, terminated: false, deadlinePassed: false };
  }
}

/** A trap's message for the answer: what went wrong, without the executor's stack or paths. */
function describeTrap(thrown: unknown): string {
  const cause = thrown instanceof InterpreterTrap ? thrown.cause : thrown;
  const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return `interpreter trap: ${scrubHostDetail(message)}`;
}

/** The outcome of a call that did not run (bad input, lost executor): one builder for all. */
export function failedOutcome(status: CallStatus, error: PythonError, at: { restoreMs?: number; execMs?: number; memoryBytes?: number } = {}): Outcome {
  return {
    status,
    stdout: "",
    stderr: "",
    result: null,
    error,
    truncated: false,
    timing: { restore_ms: at.restoreMs ?? 0, exec_ms: at.execMs ?? 0 },
    memory_bytes: at.memoryBytes ?? 0,
  };
}

/** Files under /workspace that the call created or changed (inputs it left untouched are not sent back). */
function changedFiles(interp: Interpreter, inputs: Map<string, string>): InputFile[] {
  const FS = interp.pyodide.FS;
  const out: InputFile[] = [];
  const walk = (dir: string) => {
    for (const name of FS.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const path = `${dir}/${name}`;
      const st = FS.lstat(path);
      if (FS.isDir(st.mode)) walk(path);
      else if (FS.isFile(st.mode)) {
        const b64 = Buffer.from(FS.readFile(path)).toString("base64");
        if (inputs.get(path) !== b64) out.push({ path: path.slice(WORKSPACE.length + 1), content_b64: b64 });
      }
    }
  };
  walk(WORKSPACE);
  return out;
}
