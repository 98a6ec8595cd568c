// How an executor process is launched: the command, its arguments and its environment. This is
// where the OS confinement of executors is assembled (docs/security.md); executor-process.ts only
// spawns what this returns. Layers this machine cannot provide are left out and reported
// (confinementPlan(), /healthz); the ones asked for are enforced fatally by the launcher or the
// executor, so "requested" means "in force".
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASM_PAGE } from "../wasm-page.ts";
import { confinementPlan, type ConfinementPlan } from "./confine/layers.ts";
import { quietFlags } from "./confine/node-flags.ts";
import { readablePaths } from "./confine/paths.ts";

const MAIN = fileURLToPath(new URL("../executor/main.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");

export interface LaunchOptions {
  strategy?: string;
  recycleAfterCalls?: number;
  /** How long an idle executor polls its pipe for the next job before it blocks (idle-spin.ts). */
  idleSpinMicros?: number;
  /** full: load Pyodide; snapshot: boot from the snapshot on fd 4; make-snapshot: write one there. */
  boot?: "full" | "snapshot" | "make-snapshot";
}

export interface LaunchSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function launchSpec(options: LaunchOptions, plan: ConfinementPlan = confinementPlan()): LaunchSpec {
  // No host environment: only our own settings.
  const env: NodeJS.ProcessEnv = {};
  if (options.strategy) env.ARBOR_RESTORE = options.strategy;
  if (process.env.ARBOR_ENGINE) env.ARBOR_ENGINE = process.env.ARBOR_ENGINE;
  if (options.recycleAfterCalls) env.ARBOR_RECYCLE_AFTER = String(options.recycleAfterCalls);
  if (options.idleSpinMicros) env.ARBOR_IDLE_SPIN_US = String(options.idleSpinMicros);
  if (options.boot && options.boot !== "full") env.ARBOR_BOOT = options.boot;
  if (plan.seccomp.active) env.ARBOR_SECCOMP = "1";
  // Test-only (see confine/selftest.ts): forwarded from the daemon's own environment.
  if (process.env.ARBOR_CONFINE_SELFTEST) env.ARBOR_CONFINE_SELFTEST = process.env.ARBOR_CONFINE_SELFTEST;
  // No code generation from strings: a JS object that leaks to Python cannot become Function("...").
  const node = ["--disallow-code-generation-from-strings"];
  if (plan.wasm_memory_cap.active) node.push(`--wasm-max-mem-pages=${Math.floor((plan.wasm_memory_cap.max_mb * 2 ** 20) / WASM_PAGE)}`);
  if (!plan.bundle) return { command: process.execPath, args: [...node, "--import", TSX, MAIN], env };

  // From the runtime the executor reads (a staged copy when the executor uid cannot read the installed one).
  const paths = readablePaths(plan.files);
  if (plan.node_permission.active) {
    // The flag names differ between Node versions: the plan picked them (confine/node-flags.ts).
    node.push(...plan.permission_flags, ...quietFlags());
    for (const p of withoutNested(paths.scripts)) node.push(`--allow-fs-read=${p}`);
  }
  const nodeArgs = [...node, "--import", join(plan.files.runtime, "src/executor/confine/preload.mjs"), plan.bundle];
  if (!plan.launcher) return { command: process.execPath, args: nodeArgs, env };

  const launcher: string[] = [];
  if (plan.uid.active && plan.uid.uid !== null) launcher.push("--uid", String(plan.uid.uid), "--gid", String(plan.uid.gid));
  if (!plan.landlock.active) launcher.push("--no-landlock");
  for (const p of [...paths.scripts, ...paths.system]) launcher.push("--ro", p);
  for (const p of paths.executable) launcher.push("--rox", p);
  // The launcher opens node before it drops privileges and execs it through that descriptor.
  return { command: plan.launcher, args: [...launcher, "--", process.execPath, ...nodeArgs], env };
}

/** Drops paths inside another listed path (Node 20 mis-matches a parent listed after its child). */
function withoutNested(paths: string[]): string[] {
  return paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}/`)));
}
