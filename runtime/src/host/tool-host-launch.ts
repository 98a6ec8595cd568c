// How the tool host process (the daemon's WebAssembly tool runner) is launched and confined. It
// reuses the executors' layers (runtime/src/host/confine/): the launcher's Landlock rules and uid drop,
// Node's permission model, the seccomp filter, an empty environment, no code generation from
// strings. What differs from an executor: the tool host reads the transpiled tools and the
// tenants' files roots, and writes those roots a tool may write (then the seccomp filter, which
// refuses every file write, stays off, and /healthz says so).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { confinementPlan, type Layer } from "./confine/layers.ts";
import { permissionModel, quietFlags } from "./confine/node-flags.ts";
import { readablePaths, RUNTIME_DIR } from "./confine/paths.ts";

export { applySeccompIfAsked } from "../executor/confine/seccomp.ts";

/** Two levels below runtime/, like runtime/src/* modules, so their relative paths resolve the same. */
export const TOOL_HOST_BUNDLE_DIR = join(RUNTIME_DIR, "build/tool-host");

export interface ToolHostPaths {
  /** The tool host's TypeScript entry points (main and its worker). */
  entries: { main: string; worker: string };
  /** Directories of transpiled tools. */
  tools: string[];
  /** Files roots tools may read. */
  readRoots: string[];
  /** Files roots tools may write (a subset of the tenants' roots with files.write). */
  writeRoots: string[];
}

export interface ToolHostLaunch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  layers: Record<string, Layer>;
}

const require = createRequire(import.meta.url);

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Bundles the tool host (main + worker) into runtime/build/tool-host when a source is newer. */
export async function bundleToolHost(entries: ToolHostPaths["entries"], sources: string[]): Promise<string> {
  const main = join(TOOL_HOST_BUNDLE_DIR, "main.mjs");
  const worker = join(TOOL_HOST_BUNDLE_DIR, "worker.mjs");
  const newest = Math.max(...sources.map((s) => statSync(s).mtimeMs));
  if (existsSync(main) && existsSync(worker) && statSync(main).mtimeMs > newest && statSync(worker).mtimeMs > newest) return main;
  mkdirSync(TOOL_HOST_BUNDLE_DIR, { recursive: true });
  // esbuild comes with tsx (the daemon's TypeScript loader): not a new dependency.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const tmp = join(TOOL_HOST_BUNDLE_DIR, `tmp-${process.pid}`);
  await esbuild.build({
    entryPoints: { main: entries.main, worker: entries.worker },
    outdir: tmp,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The shim starts its own I/O worker from a file next to it: it must stay where it is.
    external: ["@bytecodealliance/preview2-shim", "*.node", "esbuild"],
    logLevel: "silent",
  });
  // Worker first: a main.mjs that is newer than its sources always has its worker beside it.
  renameSync(join(tmp, "worker.mjs"), worker);
  renameSync(join(tmp, "main.mjs"), main);
  const { rmSync } = await import("node:fs");
  rmSync(tmp, { recursive: true, force: true });
  return main;
}

/**
 * The package directories the tool host loads at run time (the shim and its native helper), as
 * the resolver walking up from runtime/ finds them and as they really are (node_modules may be
 * a symlink; Node's permission model checks the path, Landlock the inode).
 */
function packageDirs(): string[] {
  const out: string[] = [];
  for (const pkg of ["@bytecodealliance/preview2-shim", "@bytecodealliance/jco-node-fs", "@bytecodealliance/jco-node-fs-linux-x64-gnu"]) {
    for (let d = RUNTIME_DIR; ; d = dirname(d)) {
      const dir = join(d, "node_modules", pkg);
      if (existsSync(join(dir, "package.json"))) {
        out.push(dir);
        const r = real(dir);
        if (r && r !== dir) out.push(r);
        break;
      }
      if (d === dirname(d)) break; // optional native helper for another platform: not installed
    }
  }
  return out;
}

function othersCan(path: string, bits: number): boolean {
  try {
    if ((statSync(path).mode & bits) !== bits) return false;
    for (let d = dirname(path); d !== dirname(d); d = dirname(d)) if ((statSync(d).mode & 0o001) === 0) return false;
    return true;
  } catch {
    return false;
  }
}

function withoutNested(paths: string[]): string[] {
  return paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}/`)));
}

function unique(paths: (string | null)[]): string[] {
  return [...new Set(paths.filter((p): p is string => p !== null))];
}

export function toolHostLaunch(bundle: string, paths: ToolHostPaths): ToolHostLaunch {
  const plan = confinementPlan();
  const off = (detail: string): Layer => ({ active: false, detail });
  const base = readablePaths();
  const scripts = unique([RUNTIME_DIR, ...packageDirs(), ...paths.tools.map(real)]);
  const readRoots = unique(paths.readRoots.map(real));
  const writeRoots = unique(paths.writeRoots.map(real));
  const env: NodeJS.ProcessEnv = {};
  // Our own settings only (the tool host sees no other variable of the daemon's environment).
  if (process.env.ARBOR_TOOL_WORKERS) env.ARBOR_TOOL_WORKERS = process.env.ARBOR_TOOL_WORKERS;
  const node = ["--disallow-code-generation-from-strings"];
  const layers: Record<string, Layer> = {
    code_generation: { active: true, detail: "--disallow-code-generation-from-strings" },
    empty_environment: { active: true, detail: "no host environment; tools see no variables or arguments" },
    wasm_memory_cap: { active: true, detail: "each tool's memories get memory_mb as their maximum" },
    worker_heap_cap: { active: true, detail: "each worker thread's JavaScript heap is capped" },
  };

  // The flag's name depends on the Node running us (feature-detected, as for the executors).
  const model = permissionModel();
  if (plan.node_permission.active && "flags" in model) {
    node.push(...model.flags, ...quietFlags());
    // Node 20 aborts on a path given twice, and mis-matches a parent listed after its child.
    for (const p of withoutNested(unique([...scripts, ...readRoots, ...writeRoots]))) node.push(`--allow-fs-read=${p}`);
    for (const p of withoutNested(writeRoots)) node.push(`--allow-fs-write=${p}`);
    layers.node_permission = { active: true, detail: `${model.flag}: reads only the runtime, the shim, the transpiled tools and the files roots` };
  } else layers.node_permission = off("flags" in model ? plan.node_permission.detail : model.unsupported);

  // The seccomp filter refuses every file write: it is asked for only when no tool may write.
  if (!plan.seccomp.active) layers.seccomp = off(plan.seccomp.detail);
  else if (writeRoots.length > 0) layers.seccomp = off("a tool may write files (filesystem_write and files.write), which the filter refuses");
  else {
    env.ARBOR_SECCOMP = "1";
    layers.seccomp = { active: true, detail: "deny-list filter, all threads (TSYNC), after start" };
  }

  const nodeArgs = [...node, bundle];
  if (!plan.launcher) {
    layers.landlock = off(plan.landlock.detail);
    layers.unprivileged_uid = off(plan.uid.detail);
    return { command: process.execPath, args: nodeArgs, env, layers };
  }
  const launcher: string[] = [];
  const unreadable = [...scripts, ...readRoots].find((p) => !othersCan(p, 0o005));
  const unwritable = writeRoots.find((p) => !othersCan(p, 0o007));
  if (!plan.uid.active || plan.uid.uid === null) layers.unprivileged_uid = off(plan.uid.detail);
  else if (unreadable || unwritable) {
    layers.unprivileged_uid = off(`${unreadable ?? unwritable} is not ${unreadable ? "readable" : "writable"} by other users; the tool host keeps the daemon's uid`);
  } else {
    launcher.push("--uid", String(plan.uid.uid), "--gid", String(plan.uid.gid));
    layers.unprivileged_uid = { active: true, detail: `the tool host runs as uid ${plan.uid.uid}` };
  }
  if (!plan.landlock.active) {
    launcher.push("--no-landlock");
    layers.landlock = off(plan.landlock.detail);
  } else {
    layers.landlock = { active: true, detail: `ABI ${plan.landlock.abi}: read-only paths, files roots writable only where a tool may write${plan.landlock.abi >= 4 ? ", no TCP" : ""}` };
  }
  for (const p of [...scripts, ...base.system, ...readRoots.filter((r) => !writeRoots.includes(r))]) launcher.push("--ro", p);
  for (const p of writeRoots) launcher.push("--rw", p);
  for (const p of base.executable) launcher.push("--rox", p);
  return { command: plan.launcher, args: [...launcher, "--", process.execPath, ...nodeArgs], env, layers };
}

/** Spawns the tool host with fd 3 as its frame channel. */
export function spawnToolHost(launch: ToolHostLaunch) {
  return spawn(launch.command, launch.args, { stdio: ["ignore", "ignore", "pipe", "pipe"], env: launch.env });
}
