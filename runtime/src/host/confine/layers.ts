// Which OS layers this machine can put around an executor, decided once per daemon process.
// A layer that is unavailable is reported with its reason (log, ready line and /healthz), never
// silently dropped; a layer that is requested is enforced fatally by the executor or the launcher.
// Two questions per layer: can this machine provide it at all (kernel, privileges, what was
// built, the Node binary): `supported`; and did this setup get it: `active`. A supported layer
// that is not active is what `security.require` refuses to serve without (report.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { executorBundle } from "./bundle.ts";
import { OS_LAYERS, type OsLayer } from "./layer-names.ts";
import { loadConfineAddon } from "../../addons/confine.ts";
import { permissionModel } from "./node-flags.ts";
import { installedFiles, RUNTIME_DIR, type ExecutorFiles } from "./paths.ts";
import { executorFileList, stageExecutorFiles, unreachableAs } from "./stage.ts";

export const LAUNCHER = join(RUNTIME_DIR, "launcher/build/arbor-launch");
/** The unprivileged identity executors run as when the daemon is root (nobody:nogroup). */
const DEFAULT_UID = 65534;


export interface Layer {
  active: boolean;
  detail: string;
}

export interface ConfinementPlan {
  /** The executor as one bundled module, at the path executors run it from (permission model: no tsx, no esbuild child). */
  bundle: string | null;
  launcher: string | null;
  /** Where executors read the runtime and Pyodide: in place, or a staged copy the executor uid can read. */
  files: ExecutorFiles;
  /** Node flags that turn the permission model on (empty when that layer is off). */
  permission_flags: string[];
  landlock: Layer & { abi: number };
  seccomp: Layer;
  uid: Layer & { uid: number | null; gid: number | null };
  node_permission: Layer;
  code_generation: Layer;
  wasm_memory_cap: Layer & { max_mb: number };
  empty_environment: Layer;
  /** The layers this machine can provide, less those the operator turned off (ARBOR_CONFINE*). */
  supported: OsLayer[];
}

let cached: ConfinementPlan | undefined;

/**
 * Daemon environment: ARBOR_CONFINE=off launches executors as before confinement existed (tsx);
 * ARBOR_CONFINE_DISABLE=landlock,uid,seccomp,node_permission,wasm_memory_cap turns single layers
 * off (to measure them, or to debug); both are reported in /healthz like any missing layer, and
 * a layer turned off this way is not required unless `security.require` names it.
 */
export function confinementPlan(): ConfinementPlan {
  cached ??= process.env.ARBOR_CONFINE === "off" ? unconfined() : decide(disabledLayers(process.env.ARBOR_CONFINE_DISABLE ?? ""));
  return cached;
}

/** Forget the decision (benchmarks switch layers between executors). */
export function resetConfinementPlan(): void {
  cached = undefined;
}

function disabledLayers(list: string): Set<OsLayer> {
  const names = list.split(",").map((s) => s.trim()).filter(Boolean).map((s) => (s === "uid" ? "unprivileged_uid" : s));
  return new Set(OS_LAYERS.filter((l) => names.includes(l)));
}

const off = (why: string): Layer => ({ active: false, detail: why });
const on = (what: string): Layer => ({ active: true, detail: what });

function unconfined(): ConfinementPlan {
  const why = "ARBOR_CONFINE=off";
  return {
    bundle: null, launcher: null, files: installedFiles(), permission_flags: [],
    landlock: { ...off(why), abi: 0 }, seccomp: off(why), uid: { ...off(why), uid: null, gid: null }, node_permission: off(why),
    code_generation: on("--disallow-code-generation-from-strings"),
    wasm_memory_cap: { ...off(why), max_mb: 0 }, empty_environment: off(why),
    supported: ["code_generation"],
  };
}

function launcherAbi(): { path: string | null; abi: number; why: string } {
  if (!existsSync(LAUNCHER)) return { path: null, abi: 0, why: `${LAUNCHER} not built (needs a C compiler at npm install)` };
  const r = spawnSync(LAUNCHER, ["--probe"], { encoding: "utf8", timeout: 5000 });
  const abi = Number.parseInt(r.stdout, 10);
  if (r.status !== 0 || Number.isNaN(abi)) return { path: null, abi: 0, why: `launcher probe failed: ${r.stderr || r.error}` };
  return { path: LAUNCHER, abi, why: abi > 0 ? "" : `kernel has no Landlock (errno ${-abi})` };
}

function decide(disabled: Set<OsLayer>): ConfinementPlan {
  const wasmMaxMb = Number(process.env.ARBOR_WASM_MAX_MB) || 2048;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const launch = launcherAbi();
  const native = loadConfineAddon();
  const seccompOk = native.addon !== null && native.addon.seccompSupported();
  const permission = permissionModel();

  const supported = new Set<OsLayer>(["code_generation", "wasm_memory_cap", "empty_environment"]);
  if (launch.path && launch.abi > 0) supported.add("landlock");
  if (launch.path && root) supported.add("unprivileged_uid");
  if (seccompOk) supported.add("seccomp");
  if ("flags" in permission) supported.add("node_permission");

  const bundle = executorBundle();
  // Without the bundle the executor runs under tsx, which spawns esbuild and writes a cache:
  // Landlock, the uid drop and the permission model would stop it, so they stay off.
  const noBundle = "error" in bundle ? bundle.error : "";
  const why = (layer: OsLayer, ...reasons: string[]): string =>
    disabled.has(layer) ? "disabled by ARBOR_CONFINE_DISABLE" : (reasons.find(Boolean) ?? "");

  const landlockWhy = why("landlock", launch.why, noBundle);
  const landlock = landlockWhy
    ? { ...off(landlockWhy), abi: launch.abi }
    : { ...on(`ABI ${launch.abi}: read-only paths${launch.abi >= 4 ? ", no TCP" : ""}${launch.abi >= 6 ? ", signals and abstract sockets scoped" : ""}`), abi: launch.abi };

  let files = installedFiles();
  const uidWhy = why("unprivileged_uid", launch.path ? "" : launch.why, noBundle, root ? "" : `daemon is not root (uid ${process.getuid?.()}); executors keep its uid`);
  let uid: ConfinementPlan["uid"] = { ...off(uidWhy), uid: null, gid: null };
  if (!uidWhy && launch.path) {
    const id = Number(process.env.ARBOR_EXECUTOR_UID) || DEFAULT_UID;
    const reach = filesFor(launch.path, id);
    if ("error" in reach) uid = { ...off(reach.error), uid: null, gid: null };
    else {
      files = reach.files;
      uid = { ...on(`executors run as uid ${id}${reach.note}`), uid: id, gid: id };
    }
  }

  const seccompWhy = why("seccomp", "reason" in native ? native.reason : "", seccompOk ? "" : "kernel does not accept seccomp filters");
  const permissionWhy = why("node_permission", noBundle, "unsupported" in permission ? permission.unsupported : "");
  const flags = "flags" in permission && !permissionWhy ? permission.flags : [];
  const wasmWhy = why("wasm_memory_cap");
  return {
    bundle: "path" in bundle ? join(files.runtime, relative(RUNTIME_DIR, bundle.path)) : null,
    launcher: landlock.active || uid.active ? launch.path : null,
    files,
    permission_flags: flags,
    landlock,
    seccomp: seccompWhy ? off(seccompWhy) : on("deny-list filter, all threads (TSYNC), after init"),
    uid,
    node_permission: permissionWhy ? off(permissionWhy) : on(`${flags.join(" ")}, fs read-only to the runtime and Pyodide`),
    code_generation: on("--disallow-code-generation-from-strings"),
    wasm_memory_cap: wasmWhy ? { ...off(wasmWhy), max_mb: 0 } : { ...on(`--wasm-max-mem-pages (${wasmMaxMb} MiB)`), max_mb: wasmMaxMb },
    empty_environment: on("only ARBOR_* settings are passed"),
    supported: OS_LAYERS.filter((l) => supported.has(l) && !disabled.has(l)),
  };
}

/**
 * The files executors running as `uid` will read: the installed ones when the uid can reach them,
 * else a staged copy. Node itself needs only execute permission on its binary: the launcher
 * opens it before dropping privileges and execs it through the descriptor.
 */
function filesFor(launcher: string, uid: number): { files: ExecutorFiles; note: string } | { error: string } {
  const installed = installedFiles();
  const first = unreachableAs(launcher, uid, uid, process.execPath, executorFileList(installed));
  if ("error" in first) return first;
  if (first.program) return { error: `uid ${uid} may not execute ${process.execPath} (${first.program})` };
  if (first.files.length === 0) return { files: installed, note: "" };
  let staged: ReturnType<typeof stageExecutorFiles>;
  try {
    staged = stageExecutorFiles(installed);
  } catch (e) {
    return { error: `uid ${uid} cannot read ${first.files[0]}, and ${(e as Error).message}` };
  }
  const again = unreachableAs(launcher, uid, uid, process.execPath, staged.copied);
  if ("error" in again) return again;
  if (again.files.length > 0) return { error: `uid ${uid} cannot read the staged copy either: ${again.files[0]}` };
  const more = first.files.length > 1 ? ` and ${first.files.length - 1} more` : "";
  return { files: staged.files, note: `; runtime and Pyodide staged read-only in ${staged.files.staged} (uid ${uid} cannot read ${first.files[0]}${more})` };
}
