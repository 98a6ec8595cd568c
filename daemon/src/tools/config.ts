// The `tools` config key (the registry's entries) and the tenant grant `capabilities.tools`.
// Entries are checked for shape here; the component itself (digest, imports, signature) is
// checked at boot by registry.ts.
import { z } from "zod";

const positive = (max: number) => z.int({ error: "expected a positive integer" }).positive().max(max);

/** Tool names are Python-friendly and usable as MCP tool names. */
export const TOOL_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** `wasi:filesystem/types`, `wasi:cli/*`; a version (`@0.2.3`) is allowed and ignored. */
export const INTERFACE_PATTERN = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/(\*|[a-z][a-z0-9-]*)(@[0-9A-Za-z.+-]+)?$/;

export const toolEntrySchema = z.strictObject({
  name: z
    .string()
    .regex(TOOL_NAME, { error: "expected a lowercase name: a letter, then letters, digits or '_' (at most 63)" })
    .refine((n) => n !== "run_python", { error: "'run_python' is the name of Arbor's own MCP tool" }),
  /** Path of the compiled component (.wasm); relative paths are taken from the daemon's working directory. */
  component: z.string().min(1, { error: "must not be empty" }),
  /** Pinned digest of the component file: the daemon refuses to start when the file differs. */
  sha256: z
    .string()
    .regex(/^(sha256:)?[0-9a-fA-F]{64}$/, { error: "expected 64 hex digits" })
    .transform((s) => s.replace(/^sha256:/, "").toLowerCase()),
  description: z.string().max(2000).default(""),
  /** Which exported function is the tool, when the component exports more than one. */
  export: z.string().min(1).max(200).optional(),
  /** The WASI interfaces the component may import: the capability manifest. */
  wasi: z.array(z.string().regex(INTERFACE_PATTERN, { error: "expected an interface name such as 'wasi:filesystem/types' or 'wasi:cli/*'" })).max(64).default([]),
  /** Files under files.root are writable by this tool (when the tenant also has files.write). */
  filesystem_write: z.boolean().default(false),
  timeout_ms: positive(600_000).default(5_000),
  memory_mb: positive(4_096).default(64),
  /** Cap on what one call may write to stdout and stderr together; the rest is cut. */
  max_output_bytes: positive(16 * 1024 * 1024).default(64 * 1024),
});

export const toolsSchema = z.array(toolEntrySchema).max(256);

export type ToolEntry = z.output<typeof toolEntrySchema>;

/** `capabilities.tools`: which registered tools a tenant may call. */
export const ToolsGrantConfig = z.strictObject({
  allow: z.array(z.string().min(1).max(63)).max(256).default([]),
});
export type ToolsGrant = z.output<typeof ToolsGrantConfig>;

export interface ToolConfigIssue {
  path: ReadonlyArray<string | number>;
  message: string;
}

/** Cross-key rules: unique tool names, and every granted name registered. */
export function toolConfigIssues(config: {
  tools: readonly { name: string }[];
  capabilities: { tools?: { allow: readonly string[] } | undefined };
  tenants: readonly { name: string; capabilities?: { tools?: { allow: readonly string[] } | undefined } | undefined }[];
}): ToolConfigIssue[] {
  const issues: ToolConfigIssue[] = [];
  const names = new Set<string>();
  config.tools.forEach((t, i) => {
    if (names.has(t.name)) issues.push({ path: ["tools", i, "name"], message: `duplicate tool name "${t.name}"` });
    names.add(t.name);
  });
  const checkGrant = (allow: readonly string[] | undefined, at: ReadonlyArray<string | number>) => {
    allow?.forEach((name, j) => {
      if (!names.has(name)) issues.push({ path: [...at, "tools", "allow", j], message: `no tool named "${name}" is registered in "tools"` });
    });
  };
  checkGrant(config.capabilities.tools?.allow, ["capabilities"]);
  config.tenants.forEach((t, i) => checkGrant(t.capabilities?.tools?.allow, ["tenants", i, "capabilities"]));
  return issues;
}
