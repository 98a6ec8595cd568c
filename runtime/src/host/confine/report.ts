// The `security` section of /healthz and of the ready line: every layer, whether it is in force
// for the executors this daemon launches, and why not when it is not; and which of them the
// config requires (`security.require`), so that `arbor serve` can refuse to run without them.
import { OS_LAYERS, type OsLayer } from "./layer-names.ts";
import { confinementPlan, type Layer } from "./layers.ts";

export interface SecurityReport {
  /** true when every OS layer is in force. */
  confined: boolean;
  layers: Record<string, Layer>;
  /** "name: reason" for each layer that is not in force. */
  inactive: string[];
  /** The OS layers this machine can provide (less those turned off by ARBOR_CONFINE*). */
  supported: OsLayer[];
}

/** `security.require`: a list of OS layers, or "supported": every layer this machine can provide. */
export type SecurityRequirement = "supported" | readonly OsLayer[];

/** What an executor did to its interpreter at boot, as it said in its hello (ExecutorInfo.lockdown). */
export type LockdownReport = Record<string, number | string | string[]>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const num = (v: unknown): number => (typeof v === "number" ? v : 0);

/**
 * The in-process layers, from what the first executor reported it did (not from what the code
 * intends): each is active only when the report shows it in force.
 */
export function inProcessLayers(lockdown: LockdownReport | null): Record<string, Layer> {
  if (!lockdown) {
    const none = { active: false, detail: "no executor has reported its lockdown yet" };
    return { wasm_imports: none, builtins_removed: none, js_modules: none, api_doors: none };
  }
  const imports = list(lockdown.imports_replaced);
  const builtins = list(lockdown.builtins_removed);
  const doors = list(lockdown.doors_refused);
  const kept = list(lockdown.statics_kept);
  const needImports = ["_emscripten_system", "__syscall_socket", "_dlopen_js", "JsProxy_compute_typeflags"];
  const missingImports = needImports.filter((n) => !imports.includes(n));
  return {
    wasm_imports: missingImports.length === 0
      ? { active: true, detail: `${imports.length} imports replaced (shell, eval, sockets, dlopen after boot, JsProxy creation sealed)` }
      : { active: false, detail: `not replaced: ${missingImports.join(", ")}` },
    builtins_removed: builtins.includes("_ctypes") && builtins.includes("_pyodide_core")
      ? { active: true, detail: `removed from CPython's builtin table: ${builtins.join(", ")}` }
      : { active: false, detail: `builtin table not edited (${builtins.join(", ") || "nothing removed"})` },
    js_modules: num(lockdown.stdlib_entries_removed) > 0 && num(lockdown.proxies_destroyed) > 0 && kept.length === 0
      ? { active: true, detail: `Pyodide's FFI removed: ${num(lockdown.stdlib_entries_removed)} stdlib entries, ${num(lockdown.proxies_destroyed)} API proxies, statics released: ${list(lockdown.statics_released).join(", ")}` }
      : { active: false, detail: `FFI lockdown incomplete (statics kept: ${kept.join("; ") || "none"})` },
    api_doors: num(lockdown.objects_frozen) > 0 && doors.includes("FS.mount") && doors.includes("loadWebAssemblyModule")
      ? { active: true, detail: `${num(lockdown.objects_frozen)} JS objects frozen; refused: ${doors.join(", ")}` }
      : { active: false, detail: `JS side not sealed (refused: ${doors.join(", ") || "nothing"})` },
  };
}

export function securityReport(lockdown: LockdownReport | null = null): SecurityReport {
  const plan = confinementPlan();
  const os: Record<OsLayer, Layer> = {
    landlock: { active: plan.landlock.active, detail: plan.landlock.detail },
    seccomp: plan.seccomp,
    unprivileged_uid: { active: plan.uid.active, detail: plan.uid.detail },
    node_permission: plan.node_permission,
    code_generation: plan.code_generation,
    wasm_memory_cap: { active: plan.wasm_memory_cap.active, detail: plan.wasm_memory_cap.detail },
    empty_environment: plan.empty_environment,
  };
  const inactive = OS_LAYERS.filter((name) => !os[name].active).map((name) => `${name}: ${os[name].detail}`);
  return { confined: inactive.length === 0, layers: { ...os, ...inProcessLayers(lockdown) }, inactive, supported: plan.supported };
}

export function requiredLayers(requirement: SecurityRequirement, report: SecurityReport): OsLayer[] {
  return requirement === "supported" ? [...report.supported] : [...requirement];
}

/** "name: reason" for each required layer that is not in force; empty when the daemon may serve. */
export function unmetRequirements(requirement: SecurityRequirement, report: SecurityReport): string[] {
  return requiredLayers(requirement, report)
    .filter((name) => !report.layers[name]?.active)
    .map((name) => `${name}: ${report.layers[name]?.detail ?? "unknown layer"}`);
}

/** One phrase for the ready line: what is in force, what is not and why. */
export function securitySummary(report: SecurityReport): string {
  const active = OS_LAYERS.filter((name) => report.layers[name]?.active);
  if (report.inactive.length === 0) return `confinement: all ${active.length} OS layers active`;
  return `confinement: ${active.length}/${OS_LAYERS.length} OS layers active; inactive: ${report.inactive.join("; ")}`;
}
