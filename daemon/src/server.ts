// buildServer(): the fastify app, not listening. Zod schemas validate every route and feed the
// OpenAPI document; every error leaves as the contract's envelope, never a stack.
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { addAdmission, decorateTenant } from "./http/admission.ts";
import { installErrorReplies } from "./http/error-replies.ts";
import { swaggerOptions } from "./http/openapi.ts";
import { PoolMetrics } from "./http/pool-metrics.ts";
import { RouteTable } from "./http/route-table.ts";
import { toEnvelope } from "./errors.ts";
import { genReqId } from "./logging.ts";
import { mcpRoutes } from "./mcp/route.ts";
import { evalRoutes } from "./routes/eval.ts";
import { statesRoutes } from "./routes/states.ts";
import { batchesRoutes } from "./routes/batches.ts";
import { toolsRoutes } from "./routes/tools.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import type { Services } from "./services.ts";

export interface ServerOptions {
  bodyLimit: number;
  /** pino options (see loggerOptions in logging.ts), or false for none. */
  logger: false | (LoggerOptions & { stream?: DestinationStream });
}

export async function buildServer(services: Services, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    genReqId,
    requestIdHeader: false,
    // Draining is answered by admission (503 `unavailable` in the envelope), not fastify's own body.
    return503OnClosing: false,
    // Errors fastify raises before routing (a malformed URL, a bad content type header) leave in
    // the same envelope as every other error.
    frameworkErrors: (err, _request, reply) => {
      const mapped = toEnvelope(err);
      (reply as unknown as FastifyReply).code(mapped.statusCode).send(mapped.body);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: without the text/plain parser other bodies get 415 unsupported_media_type.
  app.removeContentTypeParser("text/plain");
  decorateTenant(app);

  const routes = new RouteTable();
  routes.collect(app);
  installErrorReplies(app, routes);
  await app.register(swagger, swaggerOptions);

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", String(request.id));
  });
  // While draining, a keep-alive connection would hold server.close() open after its last
  // response: tell the client to go, so shutdown ends when the in-flight calls do.
  app.addHook("onSend", async (_request, reply) => {
    if (services.shuttingDown()) reply.header("connection", "close");
  });
  // Route patterns, not raw URLs, keep the label set bounded; unmatched requests share one label.
  app.addHook("onResponse", async (request, reply) => {
    if (request.tenant === services.warmUp.tenant) return; // the startup warm-up counts nowhere
    services.metrics.recordHttpResponse(request.routeOptions.url ?? "unmatched", reply.statusCode);
  });

  await app.register(healthRoutes(services));
  await app.register(metricsRoutes(services, new PoolMetrics(services.metrics, services.pool, () => services.scheduler.depth)));
  await app.register(async (v1) => {
    addAdmission(v1, services);
    await v1.register(evalRoutes(services));
    await v1.register(statesRoutes(services));
    await v1.register(batchesRoutes(services));
    await v1.register(toolsRoutes(services));
  });
  await app.register(mcpRoutes(services));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
