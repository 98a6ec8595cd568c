// run_python on this process's own call path: the tenant's rate limit, its limits and policy,
// and the same metrics and log line as POST /v1/eval.
import type { FastifyBaseLogger } from "fastify";
import type { Tenant } from "../auth.ts";
import { admitCall, runCall } from "../http/run-call.ts";
import type { Services } from "../services.ts";
import type { RunPython } from "./tool.ts";

export function localRunPython(services: Services, tenant: Tenant, log: FastifyBaseLogger, requestId: () => string): RunPython {
  return async (args, signal) => {
    const site = { tenant, log, requestId: requestId(), signal };
    admitCall(services, site);
    return runCall(services, site, { code: args.code, ...(args.timeout_ms === undefined ? {} : { timeout_ms: args.timeout_ms }) });
  };
}
