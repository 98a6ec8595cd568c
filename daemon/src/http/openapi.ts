// The OpenAPI document's frame; the paths come from the routes' zod schemas. The committed copy
// is sdks/openapi.json (regenerate: node --import tsx daemon/src/commands/openapi.ts > sdks/openapi.json).
import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/** Bearer auth, optional: an open daemon (no tenants) accepts calls without it. */
export const BEARER_SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, {}];

export const swaggerOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: "3.0.3",
    info: {
      title: "Arbor",
      version: "0.1.0",
      description:
        "A fresh CPython interpreter for every call. Errors are `{ error: { code, message, details? } }`; see docs/api.md.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Required when the daemon has tenants configured." },
      },
    },
  },
  transform: jsonSchemaTransform,
};
