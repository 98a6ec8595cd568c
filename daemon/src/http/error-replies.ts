// Every error leaves as the contract's envelope, never a stack, with the headers its code calls
// for: Retry-After (429, 503), WWW-Authenticate (401), Allow (405).
import type { FastifyInstance, FastifyReply } from "fastify";
import { errors, toEnvelope } from "../errors.ts";
import type { RouteTable } from "./route-table.ts";

export function installErrorReplies(app: FastifyInstance, routes: RouteTable): void {
  app.setErrorHandler((err, request, reply) => {
    const mapped = toEnvelope(err);
    if (mapped.statusCode >= 500 && mapped.body.error.code === "internal") request.log.error({ err }, "request failed");
    sendMapped(reply, mapped);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const allowed = routes.allowedMethods(path);
    if (allowed.length > 0) {
      reply.header("allow", allowed.join(", "));
      return sendMapped(reply, toEnvelope(errors.methodNotAllowed(request.method, allowed)));
    }
    sendMapped(reply, toEnvelope(errors.notFound(request.method, path)));
  });
}

function sendMapped(reply: FastifyReply, mapped: ReturnType<typeof toEnvelope>): void {
  // Every 429 and 503 says when to come back, even one mapped from a foreign error.
  const retryAfter = mapped.retryAfterSeconds ?? (mapped.statusCode === 429 || mapped.statusCode === 503 ? 1 : undefined);
  if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
  if (mapped.body.error.code === "unauthorized") reply.header("www-authenticate", 'Bearer realm="arbor"');
  reply.code(mapped.statusCode).send(mapped.body);
}
