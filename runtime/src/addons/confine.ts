// Typed loader for the arbor_confine addon (seccomp filter, kernel probes). Never throws.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { addonPath } from "./path.ts";

export interface ConfineAddon {
  /** Installs the executor's filter on every thread; returns its length in BPF instructions. */
  applySeccomp(allowUserfaultfd: boolean): number;
  seccompSupported(): boolean;
  /** 0: none, 2: filter. */
  seccompMode(): number;
  /** Landlock ABI version, or -errno. */
  landlockAbi(): number;
  // Self-test probes: 0 when the syscall succeeded, else its errno.
  probeOpen(path: string, write: boolean): number;
  probeConnect(port: number): number;
  probeKill(pid: number): number;
  probeFork(): number;
  probeExec(): number;
  /** This process's uid. */
  probeUid(): number;
}

export const CONFINE_ADDON = addonPath("arbor_confine");

let cached: { addon: ConfineAddon } | { addon: null; reason: string } | undefined;

export function loadConfineAddon(): { addon: ConfineAddon } | { addon: null; reason: string } {
  cached ??= load();
  return cached;
}

function load(): { addon: ConfineAddon } | { addon: null; reason: string } {
  if (process.platform !== "linux" || process.arch !== "x64") return { addon: null, reason: `seccomp filter is built for linux-x64 only (${process.platform}-${process.arch})` };
  if (!existsSync(CONFINE_ADDON)) return { addon: null, reason: `${CONFINE_ADDON} missing (run node runtime/native/build.mjs)` };
  try {
    return { addon: createRequire(import.meta.url)(CONFINE_ADDON) as ConfineAddon };
  } catch (e) {
    return { addon: null, reason: `arbor_confine failed to load: ${(e as Error).message}` };
  }
}
