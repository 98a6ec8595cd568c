// Decide whether an argv may run under shell.allow, and find its executable on the fixed PATH.
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { denied, osError, quote } from "./errors.ts";
import type { ShellPolicy, ShellRule } from "./policy.ts";

/** Executables are looked up here only; the caller's PATH never matters. */
export const SHELL_PATH = "/usr/local/bin:/usr/bin:/bin";

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    const st = await stat(p);
    if (!st.isFile()) return false;
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `name` on SHELL_PATH, or null when there is none. */
export async function findOnPath(name: string): Promise<string | null> {
  for (const dir of SHELL_PATH.split(":")) {
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function argsAllowed(rule: ShellRule, args: readonly string[]): string | null {
  if (rule.args === null) return null;
  const patterns = rule.args;
  return args.find((a) => !patterns.some((re) => re.test(a))) ?? null;
}

/**
 * Check argv against shell.allow and return the executable to spawn. A bare name matches entries
 * with that name, or an absolute entry equal to where the name resolves; an argv[0] containing
 * '/' must equal an absolute entry exactly. Then every argument must fully match one of the
 * entry's patterns (an entry without `args` allows any arguments).
 */
export async function authorizeShell(policy: ShellPolicy, argv: readonly string[]): Promise<string> {
  const cmd = argv[0] ?? "";
  const args = argv.slice(1);
  let executable: string | null;
  let rules: ShellRule[];
  if (cmd.includes("/")) {
    rules = policy.allow.filter((r) => r.cmd === cmd);
    if (rules.length === 0) {
      throw denied("shell", `${quote(cmd)} is not in shell.allow (a path must equal an absolute entry exactly)`);
    }
    executable = (await isExecutableFile(cmd)) ? cmd : null;
  } else {
    rules = policy.allow.filter((r) => r.cmd === cmd);
    const hasAbsolute = policy.allow.some((r) => isAbsolute(r.cmd));
    // Only look on disk when we must: a refused name should not reveal what is installed.
    executable = rules.length > 0 || hasAbsolute ? await findOnPath(cmd) : null;
    if (executable !== null) rules = rules.concat(policy.allow.filter((r) => r.cmd === executable));
    if (rules.length === 0) throw denied("shell", `${quote(cmd)} is not in shell.allow`);
  }
  const firstBad = rules.map((r) => argsAllowed(r, args));
  if (!firstBad.includes(null)) {
    const bad = firstBad[0] ?? "";
    throw denied("shell", `argument ${quote(bad)} to ${quote(cmd)} does not match any shell.allow pattern for it`);
  }
  if (executable === null) throw osError("shell", `[Errno 2] No such file or directory: ${quote(cmd)}`);
  return executable;
}
