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

const IN_PROCESS: Record<string, Layer> = {
  wasm_imports: { active: true, detail: "shell, eval, socket and dlopen imports replaced before instantiation" },
  builtins_removed: { active: true, detail: "_ctypes and the _test* modules removed from CPython's builtin table" },
  js_modules: { active: true, detail: "js/pyodide_js unregistered, jsglobals empty, intrinsics frozen" },
  api_doors: { active: true, detail: "NODEFS, loadPackage, mountNodeFS, runPythonAsync disabled" },
};

export function securityReport(): SecurityReport {
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
  return { confined: inactive.length === 0, layers: { ...os, ...IN_PROCESS }, inactive, supported: plan.supported };
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
