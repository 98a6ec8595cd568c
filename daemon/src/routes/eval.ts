// POST /v1/eval: validate with the wire schema, authenticate, hand to the call path.
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { errorEnvelope, evalRequest, evalResponse } from "../wire/eval.ts";
import type { Services } from "../services.ts";

export function evalRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      "/v1/eval",
      {
        schema: {
          summary: "Run code in a fresh interpreter",
          body: evalRequest,
          response: { 200: evalResponse, "4xx": errorEnvelope, "5xx": errorEnvelope },
        },
      },
      async (request, reply) => {
        const tenant = services.authenticate(request);
        const aborted = new AbortController();
        // A client that goes away cancels its call (queued or running).
        reply.raw.on("close", () => {
          if (!reply.raw.writableFinished) aborted.abort();
        });
        const { response } = await services.calls.eval(request.body, {
          requestId: String(request.id),
          tenant,
          signal: aborted.signal,
        });
        services.metrics?.recordCall(tenant.name, response);
        return response;
      },
    );
  };
}
