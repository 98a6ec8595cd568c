// Executor side of the seccomp layer: called once, after the interpreter has booted and before it
// reports ready. Asked for (ARBOR_SECCOMP=1) but impossible is fatal: the daemon only asks when
// its own probe succeeded, and a silently unconfined executor is worse than none.
import { loadConfineAddon } from "../../addons/confine.ts";
import { selfTest } from "./selftest.ts";

export function applySeccompIfAsked(): string {
  if (process.env.ARBOR_SECCOMP !== "1") return "not requested";
  const native = loadConfineAddon();
  if (!native.addon) throw new Error(`seccomp requested but unavailable: ${native.reason}`);
  selfTest(native.addon, "before_seccomp");
  // The dirty-page restore keeps using its userfaultfd; opening new ones stays allowed for it.
  const insns = native.addon.applySeccomp(true);
  if (native.addon.seccompMode() !== 2) throw new Error("seccomp filter did not take effect");
  selfTest(native.addon, "after_seccomp");
  return `seccomp filter (${insns} instructions)`;
}
