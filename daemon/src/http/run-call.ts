// The steps every route that runs Python takes, in one place (POST /v1/eval, the states routes,
// the MCP tool): the tenant's calls-per-minute, cancel when the client goes away, the call path,
// then the metrics and the one log line of a finished call.
import { setMaxListeners } from "node:events";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { Tenant } from "../auth.ts";
import type { CallTarget } from "../calls/calls.ts";
import type { Services } from "../services.ts";
import type { EvalRequest, EvalResponse } from "../wire/eval.ts";
import { tenantOf } from "./admission.ts";

/** Who runs a call and where its answer goes. */
export interface CallSite {
  tenant: Tenant;
  log: FastifyBaseLogger;
  requestId: string;
  /** Aborted when the client goes away: the call is cancelled, queued or running. */
  signal?: AbortSignal;
}

/** The call site of an HTTP request, with a signal that fires if the client disconnects. */
export function httpCallSite(request: FastifyRequest, reply: FastifyReply): CallSite {
  const aborted = new AbortController();
  // Every branch of a fork (up to 1024) listens on this one signal while it is queued or running.
  setMaxListeners(0, aborted.signal);
  reply.raw.on("close", () => {
    if (!reply.raw.writableFinished) aborted.abort();
  });
  return { tenant: tenantOf(request), log: request.log, requestId: String(request.id), signal: aborted.signal };
}

/** One call of the tenant's rate (the branches of a fork share their request's). */
export function admitCall(services: Services, site: CallSite): void {
  services.rateLimiter.enforce(site.tenant);
}

/** Runs one call on the call path and records it; the rate limit is the caller's (admitCall). */
export async function runCall(services: Services, site: CallSite, body: EvalRequest, target: CallTarget = {}): Promise<EvalResponse> {
  const { response } = await services.calls.eval(body, { requestId: site.requestId, tenant: site.tenant, signal: site.signal }, target);
  services.callFinished(site.log, site.tenant, response, body.code);
  return response;
}
