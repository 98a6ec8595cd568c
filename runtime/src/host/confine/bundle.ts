// The executor as one plain ES module. Under confinement the executor cannot run tsx (it compiles
// TypeScript by spawning esbuild, and spawning is what we forbid), so the daemon, unconfined,
// bundles runtime/src/executor/main.ts when a source is newer than the bundle (~0.2 s). The bundle sits two directories
// below runtime/ like every runtime/src/* module, so their import.meta.url-relative paths (the
// Python runner, the native addons) resolve the same; the watchdog worker is copied next to it.
// runtime/build/package.json ends Node's package-scope lookup there: Node 22+ reads each
// package.json above a module when it resolves a bare import (`pyodide`), fails on one it may not
// read instead of skipping it, and the confined executor may read nothing above runtime/.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME_DIR } from "../../paths/runtime-dir.ts";

const RUNTIME = RUNTIME_DIR;
const ENTRY = join(RUNTIME, "src/executor/main.ts");
const BUILDER = fileURLToPath(new URL("./build-executor.mjs", import.meta.url));
export const BUNDLE_DIR = join(RUNTIME, "build/executor");
export const BUNDLE = join(BUNDLE_DIR, "main.mjs");
const SCOPE = join(RUNTIME, "build/package.json");
const SCOPE_JSON = `${JSON.stringify({ private: true, type: "module" })}\n`;

let built: { path: string } | { error: string } | undefined;

/** Builds the executor bundle (once per process); returns its path or why it could not. */
export function executorBundle(): { path: string } | { error: string } {
  built ??= build();
  return built;
}

/** Newest modification time of anything the bundle is made of. */
function newestSource(): number {
  let newest = statSync(BUILDER).mtimeMs;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mjs)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(RUNTIME, "src"));
  return newest;
}

function upToDate(): boolean {
  try {
    const worker = join(BUNDLE_DIR, "watchdog-worker.mjs");
    return existsSync(worker) && existsSync(SCOPE) && statSync(BUNDLE).mtimeMs > newestSource();
  } catch {
    return false;
  }
}

function build(): { path: string } | { error: string } {
  // Every daemon process (and CLI run) would otherwise pay the ~0.2 s build.
  if (upToDate()) return { path: BUNDLE };
  try {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    // Write then rename: daemons started side by side never see half a file.
    const tmp = `${BUNDLE}.${process.pid}.tmp.mjs`;
    const r = spawnSync(process.execPath, [BUILDER, ENTRY, tmp], { encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) return { error: `could not bundle the executor: ${r.stderr || r.error || `exit ${r.status}`}` };
    const worker = join(BUNDLE_DIR, "watchdog-worker.mjs");
    copyFileSync(join(dirname(ENTRY), "watchdog-worker.mjs"), `${worker}.${process.pid}.tmp`);
    renameSync(`${worker}.${process.pid}.tmp`, worker);
    writeFileSync(`${SCOPE}.${process.pid}.tmp`, SCOPE_JSON);
    renameSync(`${SCOPE}.${process.pid}.tmp`, SCOPE);
    renameSync(tmp, BUNDLE);
    return { path: BUNDLE };
  } catch (e) {
    return { error: `could not bundle the executor: ${(e as Error).message}` };
  }
}
