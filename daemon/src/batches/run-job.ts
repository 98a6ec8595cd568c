// How a daemon runs one batch job: as a call of the tenant that submitted the batch, through the
// same path as POST /v1/eval or a fork branch (limits, tenant policy, capabilities, scheduler,
// crash budget, metrics and the log line). The job came back from the queue, so it is checked
// again: its tenant must still be configured here and its request must still be valid.
import type { FastifyBaseLogger } from "fastify";
import type { Tenant } from "../auth.ts";
import { openTenant } from "../config/index.ts";
import { errors } from "../errors.ts";
import { runCall, type CallSite } from "../http/run-call.ts";
import { newRequestId } from "../logging.ts";
import type { Services } from "../services.ts";
import { stateEvalRequest } from "../wire/states.ts";
import type { BatchJobContext, BatchRunner, BatchWork } from "./types.ts";

export function batchRunner(services: Services, log: FastifyBaseLogger): BatchRunner {
  return async (work: BatchWork, ctx: BatchJobContext) => {
    const tenant = tenantNamed(services, ctx.tenant);
    const parsed = stateEvalRequest.safeParse(work.request);
    if (!parsed.success) throw errors.invalidRequest("The batch job's request is not valid here.");
    const requestId = newRequestId();
    const site: CallSite = { tenant, requestId, signal: ctx.signal, log: log.child({ reqId: requestId, batch_id: ctx.batchId, index: ctx.index }) };
    const { checkpoint, ...request } = parsed.data;
    if (work.state_id === undefined) return runCall(services, site, request);
    const base = await services.states.open(tenant.name, work.state_id);
    return runCall(services, site, request, { base, checkpoint: checkpoint === true });
  };
}

/** The tenant a job belongs to, as configured on this daemon (`unauthorized` when it is not). */
function tenantNamed(services: Services, name: string): Tenant {
  const { config } = services;
  if (config.tenants.length === 0) {
    const open = openTenant(config);
    if (open.name === name) return open;
  }
  const tenant = config.tenants.find((t) => t.name === name);
  if (!tenant) throw errors.unauthorized(`Tenant '${name}' is not configured on this daemon.`);
  return tenant;
}
