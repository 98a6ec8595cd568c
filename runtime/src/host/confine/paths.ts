// What a confined executor may read: node and the libraries it loads, our runtime (scripts, the
// executor bundle, the native addons, the Python runner) and the Pyodide distribution, either
// where they are installed or as a staged copy (stage.ts). Nothing is writable. Paths are
// resolved through symlinks: Landlock rules bind inodes, not names.
import { existsSync, lstatSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { RUNTIME_DIR } from "../../paths/runtime-dir.ts";

export { RUNTIME_DIR };

/** Where an executor reads its runtime and Pyodide from. */
export interface ExecutorFiles {
  /** The runtime directory (holds build/executor/main.mjs, python/, the addons). */
  runtime: string;
  /** Pyodide's directory as the executor's resolver finds it, and as it really is. */
  pyodide: string[];
  /** The root of the staged copy, or null when the executor reads the installed files. */
  staged: string | null;
}

export function installedFiles(): ExecutorFiles {
  return { runtime: RUNTIME_DIR, pyodide: pyodideDirs(), staged: null };
}

export interface ReadablePaths {
  /** Read-only for Landlock and for Node's permission model. */
  scripts: string[];
  /** Read-only for Landlock only: what the dynamic loader and node itself open. */
  system: string[];
  /** Read and execute: the program the launcher execs, and its ELF interpreter. */
  executable: string[];
}

function real(path: string): string | null {
  try {
    return existsSync(path) ? realpathSync(path) : null;
  } catch {
    return null;
  }
}

function unique(paths: (string | null)[]): string[] {
  return [...new Set(paths.filter((p): p is string => p !== null))];
}

/** Pyodide's directory as Node resolves it and as it really is (Node's permission model checks
 * the path it was asked for, Landlock the inode it reaches: node_modules may be a symlink). */
export function pyodideDirs(): string[] {
  const real = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
  // The path the executor's ESM resolver walks: the nearest node_modules above the runtime.
  let seen: string | null = null;
  for (let d = RUNTIME_DIR; seen === null; d = dirname(d)) {
    if (existsSync(join(d, "node_modules", "pyodide"))) seen = join(d, "node_modules", "pyodide");
    if (d === dirname(d)) break;
  }
  return unique([real, seen, ...(seen ? symlinksOn(seen) : [])]);
}

/** Symlinks along a path: Node's resolver lstat()s each of them (Landlock still binds the targets). */
function symlinksOn(path: string): string[] {
  const out: string[] = [];
  let prefix = "";
  for (const part of path.split(sep).filter(Boolean)) {
    prefix = `${prefix}${sep}${part}`;
    try {
      if (lstatSync(prefix).isSymbolicLink()) out.push(prefix);
    } catch {
      break;
    }
  }
  return out;
}

export function readablePaths(files: ExecutorFiles = installedFiles()): ReadablePaths {
  return {
    scripts: unique(files.staged ? [files.staged] : [files.runtime, ...files.pyodide]),
    system: unique([
      "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache", "/etc/ssl/openssl.cnf",
      "/dev/null", "/dev/urandom", "/dev/random",
      // The launcher resolves /proc/self to its own /proc/<pid>, which node keeps after exec:
      // the restore reads its own /proc/<pid>/pagemap; other processes' entries stay closed.
      "/proc/self",
    ].map((p) => (p === "/proc/self" ? p : real(p)))),
    executable: unique([real(process.execPath), real("/lib64/ld-linux-x86-64.so.2"), real("/lib/ld-linux-aarch64.so.1")]),
  };
}
