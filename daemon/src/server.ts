// buildServer(): the fastify app, not listening. Zod schemas validate every route and feed the
// OpenAPI document; every error leaves as the contract's envelope, never a stack.
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { errors, toEnvelope } from "./errors.ts";
import { evalRoutes } from "./routes/eval.ts";
import { healthRoutes } from "./routes/health.ts";
import type { Services } from "./services.ts";

export interface ServerOptions {
  bodyLimit: number;
  logger: boolean | object;
  genReqId?: (req: import("node:http").IncomingMessage) => string;
}

export async function buildServer(services: Services, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    genReqId: options.genReqId,
    requestIdHeader: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: { title: "Arbor", version: "0.1.0", description: "A fresh CPython interpreter for every call." },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", String(request.id));
  });

  app.setErrorHandler((err, request, reply) => {
    const mapped = toEnvelope(err);
    if (mapped.statusCode >= 500) request.log.error({ err }, "request failed");
    if (mapped.retryAfterSeconds !== undefined) reply.header("retry-after", String(mapped.retryAfterSeconds));
    reply.code(mapped.statusCode).send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const mapped = toEnvelope(errors.notFound(request.method, request.url.split("?")[0] ?? "/"));
    reply.code(mapped.statusCode).send(mapped.body);
  });

  await app.register(healthRoutes(services));
  await app.register(evalRoutes(services));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
