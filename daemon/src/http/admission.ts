// Admission for /v1/*, before the body is read: 503 while not ready or shutting down, then the
// tenant from the API key (401). Rate limits are per call, so they are enforced by the call routes.
import type { FastifyInstance } from "fastify";
import type { Tenant } from "../auth.ts";
import { errors } from "../errors.ts";
import type { Services } from "../services.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by admission on /v1/* routes; null elsewhere. */
    tenant: Tenant | null;
  }
}

/** How long a client should wait before retrying a daemon that is booting or draining. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

export function decorateTenant(app: FastifyInstance): void {
  app.decorateRequest("tenant", null);
}

/** Adds the admission hook to the (encapsulated) context the /v1 routes are registered in. */
export function addAdmission(app: FastifyInstance, services: Services): void {
  app.addHook("onRequest", async (request) => {
    if (!services.accepting()) {
      const message = services.shuttingDown()
        ? "The daemon is shutting down; retry on another instance."
        : "The interpreters are still booting; retry shortly.";
      throw errors.unavailable(UNAVAILABLE_RETRY_SECONDS, message);
    }
    request.tenant = services.warmUp.tenantOf(request.headers) ?? services.authenticate(request);
  });
}

/** The tenant admission set; routes under addAdmission() always have one. */
export function tenantOf(request: { tenant: Tenant | null }): Tenant {
  if (!request.tenant) throw errors.internal(new Error("route registered outside admission"));
  return request.tenant;
}
