// GET /v1/tools: the WebAssembly tools the caller's tenant may call, with their WIT signatures.
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { tenantOf } from "../http/admission.ts";
import { BEARER_SECURITY } from "../http/openapi.ts";
import { effectivePolicy, type CapabilitiesConfig } from "../bridge/policy.ts";
import type { Services } from "../services.ts";
import { toolsListResponse } from "../tools/wire.ts";
import { errorEnvelope } from "../wire/eval.ts";

export function toolsRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      "/v1/tools",
      {
        schema: {
          summary: "List the tools this tenant may call",
          security: BEARER_SECURITY,
          response: { 200: toolsListResponse, "4xx": errorEnvelope, "5xx": errorEnvelope },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        return { tools: services.tools.allowed(effectivePolicy(tenant.capabilities as CapabilitiesConfig)) };
      },
    );
  };
}
