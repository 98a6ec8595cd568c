// Wire shapes of the tools endpoints (GET /v1/tools, the `tools` section of /healthz), for
// validation and the OpenAPI document.
import { z } from "zod";

export const toolInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  signature: z.string().describe("The tool's WIT signature, e.g. `summarize(name: string, items: list<item>) -> summary`."),
  params: z.array(z.object({ name: z.string(), type: z.string() })),
  result: z.string().nullable(),
  types: z.record(z.string(), z.string()).describe("Definitions of the named WIT types the signature uses."),
  sha256: z.string().describe("Digest of the component file, pinned in the config."),
  interfaces: z.array(z.string()).describe("WASI interfaces the component imports."),
  timeout_ms: z.int(),
  memory_mb: z.int(),
});

export const toolsListResponse = z.object({
  tools: z.array(toolInfoSchema).describe("The tools the caller's tenant may call (capabilities.tools.allow)."),
});

const layer = z.object({ active: z.boolean(), detail: z.string() });

const hostHealth = z.object({
  running: z.boolean(),
  restarts: z.int(),
  layers: z.record(z.string(), layer),
  inactive: z.array(z.string()),
});

export const toolsHealth = z
  .object({
    registered: z.array(z.object({ name: z.string(), sha256: z.string(), interfaces: z.array(z.string()) })),
    host: hostHealth.nullable().describe("The tool host process and which confinement layers are in force around it; null without tools."),
    write_host: hostHealth
      .nullable()
      .describe("The second tool host, for calls that may write files (a tool's filesystem_write and the tenant's files.write); null when no call can."),
  })
  .describe("Registered WebAssembly tools (docs/tools.md).");
