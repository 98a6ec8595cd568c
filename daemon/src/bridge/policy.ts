// The capability policy: config schema with defaults, and the effective policy of one eval
// (tenant policy ∩ request capabilities). Parsed once at start, then frozen.
import { deepFreeze } from "../util/deep-freeze.ts";
import { isAbsolute, normalize } from "node:path";
import { z } from "zod";
import { type HostPattern, parseHostPattern } from "./host-pattern.ts";
import { WIRE_LIMITS } from "./messages.ts";
import { ToolsGrantConfig, type ToolsGrant } from "../tools/config.ts";

export const CAPABILITY_NAMES = ["shell", "files", "web_fetch", "tools"] as const;
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];
export const CapabilityName = z.enum(CAPABILITY_NAMES);

const MiB = 1024 * 1024;
const bytes = (dflt: number) => z.number().int().positive().max(WIRE_LIMITS.max_data_bytes).default(dflt);
const millis = (dflt: number) => z.number().int().positive().max(10 * 60_000).default(dflt);
const noNul = (s: string) => !s.includes("\0");

const FilesConfig = z.strictObject({
  root: z
    .string()
    .min(1)
    .refine(noNul, "must not contain NUL")
    .refine(isAbsolute, "must be an absolute path")
    .transform((p) => normalize(p).replace(/(.)\/+$/, "$1")),
  write: z.boolean().default(false),
  max_read_bytes: bytes(4 * MiB),
  max_write_bytes: bytes(4 * MiB),
});

// A command: a bare executable name looked up on the fixed PATH, or an exact absolute path.
const Command = z
  .string()
  .min(1)
  .max(255)
  .refine(noNul, "must not contain NUL")
  .refine(
    (c) => (c.includes("/") ? isAbsolute(c) && normalize(c) === c : c !== "." && c !== ".."),
    "must be a bare name ('grep') or a normalized absolute path ('/usr/bin/grep')",
  );

// Each pattern must match a whole argument; we anchor it ourselves so a missing ^ or $ can't widen it.
const ArgPattern = z
  .string()
  .max(1024)
  .transform((p, ctx) => {
    try {
      return new RegExp(`^(?:${p})$`);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `invalid regular expression: ${(e as Error).message}` });
      return z.NEVER;
    }
  });

// "grep" is shorthand for { cmd: "grep" }: any arguments. Preprocessing (not a union) keeps
// error messages precise, e.g. a bad regex is reported as such rather than "Invalid input".
const ShellAllowEntry = z.preprocess(
  (v) => (typeof v === "string" ? { cmd: v } : v),
  z.strictObject({
    cmd: Command,
    args: z
      .array(ArgPattern)
      .max(64)
      .optional()
      .transform((a) => a ?? null),
  }),
);

const ShellConfig = z.strictObject({
  allow: z.array(ShellAllowEntry).max(256).default([]),
  timeout_ms: millis(10_000),
  max_output_bytes: bytes(1 * MiB),
});

const HostPatternEntry = z
  .string()
  .max(300)
  .transform((s, ctx): HostPattern => {
    try {
      return parseHostPattern(s);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });

// CONNECT and TRACE are never offered: one tunnels, the other reflects headers.
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const WebFetchConfig = z.strictObject({
  allow: z.array(HostPatternEntry).max(256).default([]),
  methods: z
    .array(z.string().transform((m) => m.toUpperCase()).pipe(z.enum(HTTP_METHODS)))
    .max(HTTP_METHODS.length)
    .default(["GET", "HEAD"]),
  max_response_bytes: bytes(4 * MiB),
  max_request_bytes: bytes(1 * MiB),
  timeout_ms: millis(15_000),
  max_redirects: z.number().int().min(0).max(20).default(5),
  deny_headers: z
    .array(z.string().min(1).max(256).transform((h) => h.toLowerCase()))
    .max(64)
    .default([]),
});

export const CapabilitiesConfig = z.strictObject({
  files: FilesConfig.optional(),
  shell: ShellConfig.optional(),
  web_fetch: WebFetchConfig.optional(),
  // Registered WebAssembly tools this tenant may call (docs/tools.md).
  tools: ToolsGrantConfig.optional(),
  max_host_calls: z.number().int().min(0).max(100_000).default(256),
});

export type CapabilitiesConfigInput = z.input<typeof CapabilitiesConfig>;
export type CapabilitiesConfig = z.output<typeof CapabilitiesConfig>;
export type FilesPolicy = NonNullable<CapabilitiesConfig["files"]>;
export type ShellPolicy = NonNullable<CapabilitiesConfig["shell"]>;
export type ShellRule = ShellPolicy["allow"][number];
export type WebFetchPolicy = NonNullable<CapabilitiesConfig["web_fetch"]>;
export type ToolsPolicy = ToolsGrant;

/** Validate a `capabilities` config block once, at start. Throws an Error naming each bad key. */
export function parseCapabilitiesConfig(raw: unknown, where = "capabilities"): CapabilitiesConfig {
  const parsed = CapabilitiesConfig.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${[where, ...i.path.map(String)].join(".")}: ${i.message}`);
    throw new Error(`invalid capability policy:\n  ${lines.join("\n  ")}`);
  }
  return deepFreeze(parsed.data);
}

export type Grant<T> =
  | { readonly granted: true; readonly policy: T }
  | { readonly granted: false; readonly rule: string };

/** What one eval may do. Built per eval from the tenant's config and the request's `capabilities`. */
export interface EffectivePolicy {
  readonly files: Grant<FilesPolicy>;
  readonly shell: Grant<ShellPolicy>;
  readonly web_fetch: Grant<WebFetchPolicy>;
  readonly tools: Grant<ToolsPolicy>;
  readonly max_host_calls: number;
}

/**
 * tenant ∩ request. `requested` absent (undefined/null) means the request does not narrow, so the
 * tenant's policy applies whole; an empty list grants nothing.
 */
export function effectivePolicy(config: CapabilitiesConfig, requested?: readonly CapabilityName[] | null): EffectivePolicy {
  const grant = <T>(name: CapabilityName, policy: T | undefined): Grant<T> => {
    if (policy === undefined) return { granted: false, rule: `capabilities.${name} is not enabled in the policy` };
    if (requested != null && !requested.includes(name)) {
      return { granted: false, rule: `the request's capabilities do not include '${name}'` };
    }
    return { granted: true, policy };
  };
  return Object.freeze({
    files: grant("files", config.files),
    shell: grant("shell", config.shell),
    web_fetch: grant("web_fetch", config.web_fetch),
    tools: grant("tools", config.tools),
    max_host_calls: config.max_host_calls,
  });
}

/** The capabilities an eval can use, e.g. to decide which `host` functions to expose. */
export function grantedCapabilities(policy: EffectivePolicy): CapabilityName[] {
  return CAPABILITY_NAMES.filter((n) => policy[n].granted);
}
