// The `security` section of /healthz: every layer, whether it is in force for the executors this
// daemon launches, and why not when it is not.
import { confinementPlan, inactiveLayers, type Layer } from "./layers.ts";

export interface SecurityReport {
  /** true when every OS layer is in force. */
  confined: boolean;
  layers: Record<string, Layer>;
  inactive: string[];
}

const IN_PROCESS: Record<string, Layer> = {
  wasm_imports: { active: true, detail: "shell, eval, socket and dlopen imports replaced before instantiation" },
  builtins_removed: { active: true, detail: "_ctypes and the _test* modules removed from CPython's builtin table" },
  js_modules: { active: true, detail: "js/pyodide_js unregistered, jsglobals empty, intrinsics frozen" },
  api_doors: { active: true, detail: "NODEFS, loadPackage, mountNodeFS, runPythonAsync disabled" },
};

export function securityReport(): SecurityReport {
  const plan = confinementPlan();
  const layers: Record<string, Layer> = {
    landlock: { active: plan.landlock.active, detail: plan.landlock.detail },
    seccomp: plan.seccomp,
    unprivileged_uid: { active: plan.uid.active, detail: plan.uid.detail },
    node_permission: plan.node_permission,
    code_generation: plan.code_generation,
    wasm_memory_cap: { active: plan.wasm_memory_cap.active, detail: plan.wasm_memory_cap.detail },
    empty_environment: plan.empty_environment,
    ...IN_PROCESS,
  };
  const inactive = inactiveLayers(plan);
  return { confined: inactive.length === 0, layers, inactive };
}
