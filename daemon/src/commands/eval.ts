// `arbor eval FILE|-`: one call on a local executor, without a daemon. Limits come from the same
// config as `arbor serve` (--config FILE, ARBOR_CONFIG, ARBOR_* variables, embedded defaults),
// resolved by the same function as a request's (the open tenant's limits, caps included).
import { ExecutorProcess } from "../../../runtime/src/host/executor-process.ts";
import { SnapshotStore, snapshotCacheDir } from "../../../runtime/src/host/snapshot-store.ts";
import { openTenant, resolveCallLimits, type ArborConfig } from "../config/index.ts";
import { ArborError } from "../errors.ts";
import { requiredLayersInForce } from "./require-layers.ts";

export async function evalCommand(args: string[], read: (path: string) => string, config: ArborConfig): Promise<number> {
  const file = args.find((a, i) => !a.startsWith("--") && !["--config", "--timeout-ms"].includes(args[i - 1] ?? ""));
  if (!file) {
    console.error("arbor eval: give a FILE, or - for standard input");
    return 2;
  }
  const timeoutArg = args.indexOf("--timeout-ms");
  const timeout = timeoutArg >= 0 ? Number(args[timeoutArg + 1]) : undefined;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) {
    console.error("arbor eval: --timeout-ms takes a positive integer");
    return 2;
  }
  const code = read(file);
  let limits;
  try {
    limits = resolveCallLimits({ code, timeout_ms: timeout }, openTenant(config).limits);
  } catch (e) {
    if (!(e instanceof ArborError)) throw e;
    console.error(`arbor eval: ${e.message}`);
    return 2;
  }
  if (!requiredLayersInForce(config, "arbor eval")) return 2;
  // A daemon's cached engine snapshot makes the one boot faster; without one, a full boot.
  const snapshot = new SnapshotStore(snapshotCacheDir()).cached() ?? undefined;
  const executor = await ExecutorProcess.spawn({ snapshot });
  try {
    const outcome = await executor.run({ code, ...limits });
    if (args.includes("--json")) {
      console.log(JSON.stringify(outcome, null, 2));
    } else {
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      if (outcome.result !== null) console.log(outcome.result);
      if (outcome.error) process.stderr.write(outcome.error.traceback || `${outcome.error.type}: ${outcome.error.message}\n`);
    }
    return outcome.status === "ok" ? 0 : 1;
  } finally {
    executor.kill("killed_shutdown");
  }
}
