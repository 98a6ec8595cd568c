// Registered tools as MCP tools, next to run_python: one MCP tool per tool the tenant may call,
// its input schema derived from the WIT signature, called directly on the tool host (no Python)
// under the same grant and files policy as host.tool().
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { effectivePolicy, type CapabilitiesConfig } from "../bridge/policy.ts";
import { HostCallError } from "../bridge/errors.ts";
import type { Tenant } from "../auth.ts";
import type { ToolService } from "./service.ts";
import type { WitType } from "./wit-types.ts";

/** A zod schema for a WIT type's JSON form (values.ts), so MCP clients see the tool's shape. */
export function witSchema(t: WitType): z.ZodType {
  switch (t.kind) {
    case "bool":
      return z.boolean();
    case "s8":
    case "u8":
    case "s16":
    case "u16":
    case "s32":
    case "u32":
    case "s64":
    case "u64":
      return z.int().describe(t.kind);
    case "f32":
    case "f64":
      return z.number();
    case "char":
    case "string":
      return z.string();
    case "list":
      return z.array(witSchema(t.of));
    case "option":
      return witSchema(t.of).nullable();
    case "tuple":
      return z.array(z.unknown()).describe(`tuple of ${t.of.length}`);
    case "result":
      return z.union([z.object({ ok: t.ok ? witSchema(t.ok) : z.null() }), z.object({ err: t.err ? witSchema(t.err) : z.null() })]);
    case "record":
      return z.object(Object.fromEntries(t.fields.map((f) => [f.name, f.type.kind === "option" ? witSchema(f.type).optional() : witSchema(f.type)]))).describe(t.name);
    case "enum":
      return z.enum(t.cases as [string, ...string[]]).describe(t.name);
    case "flags":
      return z.array(z.enum(t.flags as [string, ...string[]])).describe(t.name);
    case "variant":
      return z.unknown().describe(`${t.name}: one of ${t.cases.map((c) => c.name).join(", ")}`);
  }
}

export function registerToolTools(server: McpServer, tools: ToolService, tenant: Tenant): void {
  const policy = () => effectivePolicy(tenant.capabilities as CapabilitiesConfig);
  for (const info of tools.allowed(policy())) {
    const tool = tools.registry.get(info.name)!;
    const shape = Object.fromEntries(tool.function.params.map((p) => [p.name, witSchema(p.type)]));
    server.registerTool(
      info.name,
      {
        title: info.name,
        description: `${info.description ? `${info.description}\n` : ""}WebAssembly tool: ${info.signature}`,
        inputSchema: shape,
        annotations: { title: info.name, destructiveHint: tool.filesystem_write, idempotentHint: !tool.filesystem_write },
      },
      async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        try {
          const ordered = tool.function.params.map((p) => args[p.name] ?? null);
          const { value } = await tools.call(policy(), info.name, ordered, { deadline: Date.now() + tool.timeout_ms, signal: extra.signal });
          const isError = "error" in value;
          const text = JSON.stringify(isError ? { error: value.error } : value.value, null, 1);
          const out = [text, value.stderr ? `[stderr]\n${value.stderr}` : ""].filter(Boolean).join("\n\n");
          return { content: [{ type: "text", text: out }], isError };
        } catch (e) {
          if (!(e instanceof HostCallError)) throw e;
          return { content: [{ type: "text", text: `[tool error]\n${e.type}: ${e.message}` }], isError: true };
        }
      },
    );
  }
}
