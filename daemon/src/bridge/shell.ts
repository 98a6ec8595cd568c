// The `shell` capability: run one allowlisted executable with an argv (never a shell string),
// in its own process group so a timeout or output cap kills everything it started.
import { spawn } from "node:child_process";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { constants as osConstants, tmpdir } from "node:os";
import { join } from "node:path";
import { osError, quote, timeoutError } from "./errors.ts";
import type { ShellValue } from "./messages.ts";
import type { FilesPolicy, ShellPolicy } from "./policy.ts";
import { authorizeShell, SHELL_PATH } from "./shell-allow.ts";

export interface ShellRun extends ShellValue {
  /** The process group id (= leader pid) that was killed at the end; for tests and logs. */
  pid: number | null;
}

export interface ShellContext {
  /** When files is granted, commands run in its root; otherwise in a throwaway temp dir. */
  files: FilesPolicy | null;
  deadline: number;
  signal?: AbortSignal;
}

// After the leader exits, give the pipes this long to drain before we stop waiting on them
// (a process that left the group with setsid could otherwise hold them open forever).
const DRAIN_GRACE_MS = 250;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group is already gone.
  }
}

export async function runShell(policy: ShellPolicy, argv: readonly string[], ctx: ShellContext): Promise<ShellRun> {
  const executable = await authorizeShell(policy, argv);
  const timeoutMs = Math.min(policy.timeout_ms, ctx.deadline - Date.now());
  if (timeoutMs <= 0) throw timeoutError("shell", "no time left before the eval deadline");
  let tempDir: string | null = null;
  let cwd: string;
  if (ctx.files) {
    cwd = await realpath(ctx.files.root).catch(() => {
      throw osError("shell", "files.root is not accessible on the host");
    });
  } else {
    tempDir = await mkdtemp(join(tmpdir(), "arbor-shell-"));
    cwd = tempDir;
  }
  try {
    return await spawnCapped(executable, argv, cwd, timeoutMs, policy.max_output_bytes, ctx.signal);
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function spawnCapped(
  executable: string,
  argv: readonly string[],
  cwd: string,
  timeoutMs: number,
  maxOutput: number,
  signal: AbortSignal | undefined,
): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, argv.slice(1), {
      argv0: argv[0],
      cwd,
      env: { PATH: SHELL_PATH, LANG: "C.UTF-8", HOME: cwd },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group, so -pid reaches every descendant that stays in it
      shell: false,
    });
    const pid = child.pid;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let used = 0;
    let truncated = false;
    let timedOut = false;
    let exit: { code: number | null; sig: NodeJS.Signals | null } | null = null;
    let settled = false;

    const collect = (sink: Buffer[]) => (chunk: Buffer) => {
      const take = Math.min(chunk.length, maxOutput - used);
      if (take > 0) sink.push(take === chunk.length ? chunk : chunk.subarray(0, take));
      used += take;
      if (take < chunk.length && !truncated) {
        truncated = true;
        killGroup(pid);
      }
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pid);
    }, timeoutMs);
    const onAbort = () => {
      timedOut = true;
      killGroup(pid);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    let drainTimer: NodeJS.Timeout | undefined;

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      signal?.removeEventListener("abort", onAbort);
      killGroup(pid); // background members of the group do not outlive the call
      child.stdout.destroy();
      child.stderr.destroy();
      const code = exit?.code ?? null;
      const sig = exit?.sig ?? null;
      resolve({
        exit_code: code ?? -(sig ? (osConstants.signals[sig] ?? 0) : 0),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        truncated,
        timed_out: timedOut,
        pid: pid ?? null,
      });
    };

    child.on("error", (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      killGroup(pid);
      reject(osError("shell", `cannot run ${quote(argv[0] ?? "")}: ${e.code ?? e.message}`));
    });
    child.on("exit", (code, sig) => {
      exit = { code, sig };
      clearTimeout(timer);
      killGroup(pid);
      drainTimer = setTimeout(finish, DRAIN_GRACE_MS);
    });
    child.on("close", finish);
  });
}
