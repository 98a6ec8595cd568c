// Runs one job on a freshly restored interpreter: input files in, limits on, the cell run like a
// REPL, output files out, one Outcome back. The restore after it is the caller's (executor loop).
import { posix } from "node:path";
import { WORKSPACE } from "./interpreter/boot.ts";
import type { Interpreter } from "./interpreter/interpreter.ts";
import { InterpreterTrap } from "./interpreter/js-state.ts";
import type { CallGuard, Guarded } from "./executor/call-guard.ts";
import type { StateCache } from "./interpreter/states.ts";
import type { CallStatus, InputFile, Job, Outcome, PythonError } from "./protocol/messages.ts";

const MIB = 1024 * 1024;
/** How long past the deadline the soft interrupt gets before V8 terminates the call itself. */
export const TERMINATE_GRACE_MS = 50;

interface RunnerOutcome {
  status: CallStatus | "interrupted";
  stdout: string;
  stderr: string;
  result: string | null;
  error: PythonError | null;
  truncated: boolean;
}

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

export function execute(interp: Interpreter, guard: CallGuard | null, job: Job, restoreMs: number, states: StateCache): Outcome {
  const { pyodide, memoryCap, runCell } = interp.booted;
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
    return failed("error", { type: "StateError", message: (e as Error).message, traceback: "" }, restoreMs, interp);
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
    return failed("error", { type: "ValueError", message: (e as Error).message, traceback: "" }, restoreMs, interp);
  }

  const options = JSON.stringify({ max_output_bytes: job.max_output_bytes, stdin: job.stdin ?? "", seed: job.seed ?? null });
  const started = performance.now();
  const cell = () => runCell(job.code, options);
  const guarded: Guarded<string> = guard ? guard.run(cell, job.timeout_ms, TERMINATE_GRACE_MS) : unguarded(cell);
  const execMs = performance.now() - started;
  const deadlinePassed = guarded.deadlinePassed;

  if (!guarded.ok) {
    // The wasm side trapped (stack exhaustion, unreachable), Pyodide failed or the call was
    // terminated: the call is lost, the restore that follows brings the interpreter back.
    const trap = guarded.error;
    const message = trap instanceof InterpreterTrap ? trap.message : String((trap as Error)?.message ?? trap);
    if (deadlinePassed) {
      const error = { type: "TimeoutError", message: `execution exceeded timeout_ms=${job.timeout_ms}`, traceback: "" };
      return failed("timeout", error, restoreMs, interp, execMs);
    }
    const status: CallStatus = memoryCap.refused ? "memory_limit" : "crashed";
    return failed(status, { type: memoryCap.refused ? "MemoryError" : "InterpreterCrash", message, traceback: "" }, restoreMs, interp, execMs);
  }

  const out = parseRunnerOutcome(guarded.value);
  if (!out) {
    const error = { type: "RunnerError", message: "the code interfered with the runner's report of its outcome", traceback: "" };
    return failed("error", error, restoreMs, interp, execMs);
  }
  let status: CallStatus;
  if (out.status === "interrupted") status = deadlinePassed ? "timeout" : "error";
  else status = out.status;
  if (status === "timeout") {
    out.error = { type: "TimeoutError", message: `execution exceeded timeout_ms=${job.timeout_ms}`, traceback: out.error?.traceback ?? "" };
  }
  const outcome: Outcome = {
    status,
    stdout: out.stdout,
    stderr: out.stderr,
    result: out.result,
    error: out.error,
    truncated: out.truncated,
    timing: { restore_ms: restoreMs, exec_ms: execMs },
    memory_bytes: interp.memoryBytes,
  };
  if (job.return_files) outcome.files = changedFiles(interp, inputs);
  // A state is kept after a normal end or a Python error; after a timeout, a memory or output
  // limit the interpreter was stopped mid-way, and that is not a state anyone can build on.
  if (job.checkpoint_id && (status === "ok" || status === "error")) {
    outcome.checkpoint = states.capture(interp, job.checkpoint_id, job.base_state ?? null);
  }
  return outcome;
}

const STATUSES = new Set(["ok", "error", "timeout", "memory_limit", "output_limit", "crashed", "interrupted"]);

/** The runner's report, or null if user code tampered with it into something else. */
function parseRunnerOutcome(raw: unknown): RunnerOutcome | null {
  if (typeof raw !== "string") return null;
  let out: Partial<RunnerOutcome>;
  try {
    out = JSON.parse(raw) as Partial<RunnerOutcome>;
  } catch {
    return null;
  }
  if (typeof out !== "object" || out === null || !STATUSES.has(out.status as string)) return null;
  if (typeof out.stdout !== "string" || typeof out.stderr !== "string") return null;
  if (out.result !== null && typeof out.result !== "string") return null;
  const e = out.error;
  if (e !== null && (typeof e !== "object" || typeof e?.type !== "string" || typeof e.message !== "string" || typeof e.traceback !== "string")) return null;
  return { ...(out as RunnerOutcome), truncated: out.truncated === true };
}

/** Without a guard (in-process tests and tools): no wall-time limit. */
function unguarded<T>(fn: () => T): Guarded<T> {
  try {
    return { ok: true, value: fn(), deadlinePassed: false };
  } catch (error) {
    return { ok: false, error, terminated: false, deadlinePassed: false };
  }
}

/** What the executor answers when running the job threw in JS (never expected; never fatal). */
export function crashedOutcome(e: unknown, restoreMs: number): Outcome {
  return {
    status: "crashed",
    stdout: "",
    stderr: "",
    result: null,
    error: { type: "InterpreterCrash", message: String((e as Error)?.message ?? e), traceback: "" },
    truncated: false,
    timing: { restore_ms: restoreMs, exec_ms: 0 },
    memory_bytes: 0,
  };
}

function failed(status: CallStatus, error: PythonError, restoreMs: number, interp: Interpreter, execMs = 0): Outcome {
  return {
    status,
    stdout: "",
    stderr: "",
    result: null,
    error,
    truncated: false,
    timing: { restore_ms: restoreMs, exec_ms: execMs },
    memory_bytes: interp.memoryBytes,
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
