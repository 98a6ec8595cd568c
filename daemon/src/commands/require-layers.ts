// `security.require`: the OS confinement layers without which a command that runs executors
// (serve, mcp, eval) refuses to start. Checked before any executor boots; the reasons go to stderr.
import type { ArborConfig } from "../config/index.ts";
import { securityReport, unmetRequirements, type SecurityReport } from "../../../runtime/src/host/confine/report.ts";

/** The security report when every required layer is in force, else null (after saying why). */
export function requiredLayersInForce(config: ArborConfig, prefix: string): SecurityReport | null {
  const report = securityReport();
  const unmet = unmetRequirements(config.security.require, report);
  if (unmet.length === 0) return report;
  for (const line of unmet) process.stderr.write(`${prefix}: required confinement layer inactive: ${line}\n`);
  process.stderr.write(`${prefix}: refusing to start (security.require: ${JSON.stringify(config.security.require)}; see docs/security.md)\n`);
  return null;
}
