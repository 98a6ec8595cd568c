// Which OS layers this machine can put around an executor, decided once per daemon process.
// A layer that is unavailable is reported with its reason (log and /healthz), never silently
// dropped; a layer that is requested is enforced fatally by the executor or the launcher.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { executorBundle } from "./bundle.ts";
import { loadConfineAddon } from "./native.ts";
import { readablePaths, RUNTIME_DIR } from "./paths.ts";

export const LAUNCHER = join(RUNTIME_DIR, "launcher/build/arbor-launch");
/** The unprivileged identity executors run as when the daemon is root (nobody:nogroup). */
const DEFAULT_UID = 65534;

export interface Layer {
  active: boolean;
  detail: string;
}

export interface ConfinementPlan {
  /** The executor as one bundled module (needed by the permission model: no tsx, no esbuild child). */
  bundle: string | null;
  launcher: string | null;
  landlock: Layer & { abi: number };
  seccomp: Layer;
  uid: Layer & { uid: number | null; gid: number | null };
  node_permission: Layer;
  code_generation: Layer;
  wasm_memory_cap: Layer & { max_mb: number };
  empty_environment: Layer;
}

let cached: ConfinementPlan | undefined;

/**
 * Daemon environment: ARBOR_CONFINE=off launches executors as before confinement existed (tsx);
 * ARBOR_CONFINE_DISABLE=landlock,uid,seccomp,node_permission,wasm_memory_cap turns single layers
 * off (to measure them, or to debug); both are reported in /healthz like any missing layer.
 */
export function confinementPlan(): ConfinementPlan {
  cached ??= disable(decide(process.env.ARBOR_CONFINE !== "off"), process.env.ARBOR_CONFINE_DISABLE ?? "");
  return cached;
}

/** Forget the decision (benchmarks switch layers between executors). */
export function resetConfinementPlan(): void {
  cached = undefined;
}

function disable(plan: ConfinementPlan, list: string): ConfinementPlan {
  const names = new Set(list.split(",").map((s) => s.trim()).filter(Boolean));
  const why = "disabled by ARBOR_CONFINE_DISABLE";
  const out = { ...plan };
  if (names.has("landlock")) out.landlock = { ...plan.landlock, active: false, detail: why };
  if (names.has("uid")) out.uid = { active: false, detail: why, uid: null, gid: null };
  if (names.has("seccomp")) out.seccomp = { active: false, detail: why };
  if (names.has("node_permission")) out.node_permission = { active: false, detail: why };
  if (names.has("wasm_memory_cap")) out.wasm_memory_cap = { ...plan.wasm_memory_cap, active: false, detail: why };
  // Without Landlock and the uid drop the launcher has nothing to do.
  if (!out.landlock.active && !out.uid.active) out.launcher = null;
  return out;
}

function launcherAbi(): { path: string | null; abi: number; why: string } {
  if (!existsSync(LAUNCHER)) return { path: null, abi: 0, why: `${LAUNCHER} not built (needs a C compiler at npm install)` };
  const r = spawnSync(LAUNCHER, ["--probe"], { encoding: "utf8", timeout: 5000 });
  const abi = Number.parseInt(r.stdout, 10);
  if (r.status !== 0 || Number.isNaN(abi)) return { path: null, abi: 0, why: `launcher probe failed: ${r.stderr || r.error}` };
  return { path: LAUNCHER, abi, why: abi > 0 ? "" : `kernel has no Landlock (errno ${-abi})` };
}

function decide(enabled: boolean): ConfinementPlan {
  const wasmMaxMb = Number(process.env.ARBOR_WASM_MAX_MB) || 2048;
  const off = (why: string): Layer => ({ active: false, detail: why });
  const on = (what: string): Layer => ({ active: true, detail: what });
  if (!enabled) {
    const why = "ARBOR_CONFINE=off";
    return {
      bundle: null, launcher: null, landlock: { ...off(why), abi: 0 }, seccomp: off(why),
      uid: { ...off(why), uid: null, gid: null }, node_permission: off(why),
      code_generation: on("--disallow-code-generation-from-strings"),
      wasm_memory_cap: { ...off(why), max_mb: 0 }, empty_environment: off(why),
    };
  }
  const bundle = executorBundle();
  const bundlePath = "path" in bundle ? bundle.path : null;
  // Without the bundle the executor runs under tsx, which spawns esbuild and writes a cache:
  // Landlock, the uid drop and the permission model would stop it, so they stay off.
  const noBundle = "error" in bundle ? bundle.error : "";
  const launch = noBundle ? { path: null, abi: 0, why: noBundle } : launcherAbi();
  const landlock = launch.path && launch.abi > 0
    ? { ...on(`ABI ${launch.abi}: read-only paths${launch.abi >= 4 ? ", no TCP" : ""}${launch.abi >= 6 ? ", signals and abstract sockets scoped" : ""}`), abi: launch.abi }
    : { ...off(launch.why), abi: launch.abi };
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const uidValue = Number(process.env.ARBOR_EXECUTOR_UID) || DEFAULT_UID;
  const unreadable = root ? readablePaths().scripts.find((p) => !othersCanRead(p)) : undefined;
  const uid = !launch.path
    ? { ...off(launch.why), uid: null, gid: null }
    : unreadable
      ? { ...off(`${unreadable} is not readable by other users; executors keep the daemon's uid`), uid: null, gid: null }
      : root
      ? { ...on(`executors run as uid ${uidValue}`), uid: uidValue, gid: uidValue }
      : { ...off(`daemon is not root (uid ${process.getuid?.()}); executors keep its uid`), uid: null, gid: null };
  const native = loadConfineAddon();
  const seccomp = !native.addon
    ? off(native.reason)
    : native.addon.seccompSupported()
      ? on("deny-list filter, all threads (TSYNC), after init")
      : off("kernel does not accept seccomp filters");
  return {
    bundle: bundlePath,
    launcher: launch.path,
    landlock,
    seccomp,
    uid,
    node_permission: bundlePath ? on("--experimental-permission, fs read-only to the runtime and Pyodide") : off("error" in bundle ? bundle.error : "no bundle"),
    code_generation: on("--disallow-code-generation-from-strings"),
    wasm_memory_cap: { ...on(`--wasm-max-mem-pages (${wasmMaxMb} MiB)`), max_mb: wasmMaxMb },
    empty_environment: on("only ARBOR_* settings are passed"),
  };
}

/** One line per inactive layer, for the daemon's log. */
export function inactiveLayers(plan: ConfinementPlan): string[] {
  const out: string[] = [];
  for (const [name, layer] of Object.entries(plan)) {
    if (layer && typeof layer === "object" && "active" in layer && !layer.active) out.push(`${name}: ${layer.detail}`);
  }
  return out;
}

/** Whether a uid that owns nothing can read the path: o+x on every ancestor, o+r(+x) on it. */
function othersCanRead(path: string): boolean {
  try {
    const mode = statSync(path).mode;
    if ((mode & 0o004) === 0 || (statSync(path).isDirectory() && (mode & 0o001) === 0)) return false;
    for (let d = dirname(path); d !== dirname(d); d = dirname(d)) if ((statSync(d).mode & 0o001) === 0) return false;
    return true;
  } catch {
    return false;
  }
}
