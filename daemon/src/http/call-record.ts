// What is kept of a finished call: metrics, and one info log line with its status, tenant,
// timing and host calls (name, outcome, duration). Code and outputs only with log.log_code.
import type { FastifyBaseLogger } from "fastify";
import type { Tenant } from "../auth.ts";
import type { Metrics } from "../metrics.ts";
import type { EvalResponse } from "../wire/eval.ts";

export function recordCall(
  metrics: Metrics,
  logCode: boolean,
  log: FastifyBaseLogger,
  tenant: Tenant,
  response: EvalResponse,
  code?: string,
): void {
  metrics.recordCall(tenant.name, response.status);
  metrics.observeTiming(response.timing);
  for (const call of response.host_calls) metrics.recordHostCall(call.name, call.outcome);

  log.info(
    {
      tenant: tenant.name,
      status: response.status,
      timing: response.timing,
      // args_summary and detail can carry user data (paths, argv, URLs): kept out.
      host_calls: response.host_calls.map((c) => ({ name: c.name, outcome: c.outcome, duration_ms: c.duration_ms })),
      ...(response.error ? { error_type: response.error.type } : {}),
      ...(logCode
        ? { code, stdout: response.stdout, stderr: response.stderr, result: response.result }
        : {}),
    },
    "call finished",
  );
}
