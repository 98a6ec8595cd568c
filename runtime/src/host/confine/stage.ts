// A read-only copy of what an executor reads (the runtime and Pyodide), for when the uid that
// executors run as cannot reach them where they are installed: a checkout or a global install
// under a private home directory (mode 700), a umask-077 checkout. The daemon, still root, copies
// them once per process into a fresh directory that only root can write and that the executor uid
// can read, and executors run from there; it is removed when the daemon exits. The copy holds
// nothing the executor could not already read in place (the Landlock and permission-model rules
// name the copy instead of the originals), and no configuration or data of the daemon.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { ADDON_SUBDIR } from "../../addons/path.ts";
import type { ExecutorFiles } from "./paths.ts";

/** Parts of runtime/ an executor never opens (tests, C sources, the launcher, other ABIs' builds). */
const NOT_FOR_EXECUTORS = new Set(["test", "launcher", "native"]);
const STAGE_PREFIX = "arbor-exec-";

/** Every file an executor may open from its runtime and Pyodide directories, as absolute paths. */
export function executorFileList(files: ExecutorFiles): string[] {
  const out: string[] = [];
  const walk = (dir: string, skipTop: boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skipTop && NOT_FOR_EXECUTORS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, false);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(files.runtime, true);
  // The addons built for this Node (runtime/src/addons/path.ts), nothing else under native/.
  const addons = join(files.runtime, ADDON_SUBDIR);
  if (existsSync(addons)) for (const f of readdirSync(addons)) if (f.endsWith(".node")) out.push(join(addons, f));
  const pyodide = files.pyodide[0];
  if (pyodide) walk(pyodide, false);
  return out;
}

export interface Unreachable {
  /** errno name for the program when the uid may not execute it. */
  program: string | null;
  /** "path (errno name)" for each file the uid cannot open for reading. */
  files: string[];
}

/** Asks the launcher, as `uid`, which of these the uid cannot execute or read. */
export function unreachableAs(launcher: string, uid: number, gid: number, program: string, paths: string[]): Unreachable | { error: string } {
  const r = spawnSync(launcher, ["--uid", String(uid), "--gid", String(gid), "--check", "--exec", program, "--", ...paths], { encoding: "utf8", timeout: 10_000 });
  if (r.status !== 0) return { error: `launcher --check failed: ${r.stderr || r.error || `exit ${r.status}`}` };
  const out: Unreachable = { program: null, files: [] };
  for (const line of r.stdout.split("\n").filter(Boolean)) {
    const space = line.indexOf(" ");
    const errno = errnoName(Number(line.slice(0, space)));
    const path = line.slice(space + 1);
    if (path === program && out.program === null && !paths.includes(path)) out.program = errno;
    else out.files.push(`${path} (${errno})`);
  }
  return out;
}

function errnoName(n: number): string {
  return Object.entries(constants.errno).find(([, v]) => v === n)?.[0] ?? `errno ${n}`;
}

/**
 * Copies the executor's files into a fresh directory: <dir>/runtime and <dir>/node_modules/pyodide,
 * the layout the executor bundle resolves `pyodide` in. Directories 0755, files 0644, owned by
 * the daemon's uid. Throws with the reason when no location works.
 */
export function stageExecutorFiles(installed: ExecutorFiles): { files: ExecutorFiles; copied: string[] } {
  const pyodide = installed.pyodide[0];
  if (!pyodide) throw new Error("Pyodide's directory is unknown");
  const files = executorFileList(installed);
  const errors: string[] = [];
  for (const parent of stageParents()) {
    if (mountedNoexec(parent)) {
      errors.push(`${parent} is mounted noexec (the addons could not be loaded from it)`);
      continue;
    }
    let root: string | undefined;
    try {
      removeStaleStages(parent);
      // Real path: Landlock binds inodes and Node's permission model compares strings.
      root = realpathSync(mkdtempSync(join(parent, `${STAGE_PREFIX}${process.pid}-`)));
      chmodSync(root, 0o755);
      const copied: string[] = [];
      for (const file of files) {
        const target = file.startsWith(`${installed.runtime}/`)
          ? join(root, "runtime", relative(installed.runtime, file))
          : join(root, "node_modules", "pyodide", relative(pyodide, file));
        makeDirs(root, dirname(target));
        copyFileSync(file, target);
        chmodSync(target, 0o644);
        copied.push(target);
      }
      const staged = root;
      process.once("exit", () => rmSync(staged, { recursive: true, force: true }));
      return { files: { runtime: join(staged, "runtime"), pyodide: [join(staged, "node_modules", "pyodide")], staged }, copied };
    } catch (e) {
      if (root) rmSync(root, { recursive: true, force: true });
      errors.push(`${parent}: ${(e as Error).message}`);
    }
  }
  throw new Error(`could not stage the executor's files: ${errors.join("; ")}`);
}

/** Where a stage may go: the temporary directory (TMPDIR), then the usual world-traversable ones. */
function stageParents(): string[] {
  return [...new Set([tmpdir(), "/var/tmp", "/tmp", "/dev/shm"])].filter((d) => {
    try {
      return statSync(d).isDirectory();
    } catch {
      return false;
    }
  });
}

function makeDirs(root: string, dir: string): void {
  if (dir === root || existsSync(dir)) return;
  makeDirs(root, dirname(dir));
  mkdirSync(dir);
  chmodSync(dir, 0o755); // whatever the umask
}

/** Stages left by daemons that died without cleaning up (SIGKILL): only our own uid's. */
function removeStaleStages(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(name.startsWith(STAGE_PREFIX) ? name.slice(STAGE_PREFIX.length).split("-")[0] : NaN);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    const path = join(parent, name);
    try {
      // lstat: a symlink planted under that name in /tmp is never followed.
      const st = lstatSync(path);
      if (st.isDirectory() && st.uid === process.getuid?.()) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the mount holding `path` has noexec (dlopen of the addons would fail there). */
function mountedNoexec(path: string): boolean {
  let best = { point: "", noexec: false };
  try {
    const real = realpathSync(path);
    for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
      const fields = line.split(" ");
      const point = (fields[4] ?? "").replace(/\\040/g, " ");
      const under = point === "/" || real === point || real.startsWith(`${point}/`);
      if (under && point.length >= best.point.length) best = { point, noexec: (fields[5] ?? "").split(",").includes("noexec") };
    }
  } catch {
    return false;
  }
  return best.noexec;
}
