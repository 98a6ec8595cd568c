// POST /mcp: MCP over streamable HTTP, stateless: a fresh server and transport per request, so
// nothing is kept between requests (as nothing is kept between calls). Admission (503, 401 with
// the tenant's Bearer key) runs first, as on /v1. Replies are plain JSON (enableJsonResponse):
// the tool sends no notifications, and fastify keeps its hooks (x-request-id, metrics). A request
// the transport refuses gets the API's error envelope like any other non-2xx answer.
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { addAdmission, tenantOf } from "../http/admission.ts";
import type { Services } from "../services.ts";
import { localRunPython } from "./local.ts";
import { createMcpServer } from "./tool.ts";
import { transportRefusal } from "./transport-errors.ts";
import { registerToolTools } from "../tools/mcp.ts";

export function mcpRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    addAdmission(app, services);
    // Stateless: there is no server-to-client stream (GET) nor session to end (DELETE); both
    // get 405 from the route table.
    app.post("/mcp", { schema: { hide: true } }, async (request, reply) => {
      const tenant = tenantOf(request);
      const server = createMcpServer(localRunPython(services, tenant, request.log, () => String(request.id)));
      registerToolTools(server, services.tools, tenant);
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      // A client that goes away cancels its call: closing the server aborts the tool's signal.
      reply.raw.on("close", () => void server.close());
      await server.connect(transport);
      const response = await transport.handleRequest(webRequest(request), { parsedBody: request.body });
      const refusal = await transportRefusal(response);
      if (refusal) throw refusal;
      return response;
    });
  };
}

// The transport reads method and headers (Accept, Content-Type, protocol version) from a fetch
// Request; the body is already parsed by fastify.
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  return new Request(new URL(request.url, "http://localhost"), { method: request.method, headers });
}
