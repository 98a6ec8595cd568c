// Node's flags for the executor, chosen by what the running Node accepts (the executor runs the
// daemon's own binary, process.execPath), never by its version number: the permission model is
// `--experimental-permission` on Node 20 and early 22, `--permission` from 22.13 on, and only the
// latter on 24; `--allow-addons` and `--disable-warning` appeared during Node 20's life.

function accepts(flag: string): boolean {
  return process.allowedNodeEnvironmentFlags.has(flag);
}

export type PermissionModel = { flags: string[]; flag: string } | { unsupported: string };

/**
 * How to turn the permission model on, with what the executor still needs under it: native
 * addons (restore, deadline, seccomp) and one worker thread (the vm call guard's watchdog).
 */
export function permissionModel(): PermissionModel {
  const flag = ["--permission", "--experimental-permission"].find(accepts);
  if (!flag) return { unsupported: `Node ${process.version} has no permission model` };
  // Without --allow-addons the permission model refuses every native addon (ERR_DLOPEN_DISABLED),
  // which would cost the seccomp layer and the fast restore: keep those, report this one.
  if (!accepts("--allow-addons")) return { unsupported: `Node ${process.version}'s permission model cannot allow native addons (no --allow-addons)` };
  const flags = [flag, "--allow-addons"];
  if (accepts("--allow-worker")) flags.push("--allow-worker");
  return { flags, flag };
}

/** Silences the warnings the permission model prints on every start, where Node can. */
export function quietFlags(): string[] {
  return accepts("--disable-warning") ? ["--disable-warning=ExperimentalWarning", "--disable-warning=SecurityWarning"] : [];
}
