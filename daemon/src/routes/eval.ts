// POST /v1/eval: validated by the wire schema; admission (503, 401) already ran; here the tenant's
// calls-per-minute, then the call path.
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { admitCall, httpCallSite, runCall } from "../http/run-call.ts";
import { BEARER_SECURITY } from "../http/openapi.ts";
import { errorEnvelope, evalRequest, evalResponse } from "../wire/eval.ts";
import type { Services } from "../services.ts";

export function evalRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      "/v1/eval",
      {
        schema: {
          summary: "Run code in a fresh interpreter",
          security: BEARER_SECURITY,
          body: evalRequest,
          response: { 200: evalResponse, "4xx": errorEnvelope, "5xx": errorEnvelope },
        },
      },
      async (request, reply) => {
        const site = httpCallSite(request, reply);
        admitCall(services, site);
        return runCall(services, site, request.body);
      },
    );
  };
}
