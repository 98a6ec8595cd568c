// loadConfig: embedded defaults <- config file <- env vars <- flags, validated once, frozen.
import { readFileSync } from "node:fs";
import { crossFieldIssues } from "./checks.ts";
import { ConfigError } from "./config-error.ts";
import { defaultConfig } from "./defaults.ts";
import { configErrorMap, formatIssue, fromZodIssue, type ConfigIssue } from "./format-issues.ts";
import { deepMerge } from "./merge.ts";
import { deepFreeze } from "../util/deep-freeze.ts";
import { configSchema } from "./schema.ts";
import { envLayer, fileLayer, flagLayer, type Layer } from "./sources.ts";
import { resolveTenant } from "./tenants.ts";
import type { ArborConfig } from "./types.ts";

export interface LoadConfigOptions {
  /** Command-line arguments after the script (process.argv.slice(2)); non-config args are ignored. */
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  readFile?: (path: string) => string;
  /** Default worker count; the number of cores unless given. */
  cpuCount?: number;
}

/** @throws ConfigError whose message names each bad key path and its source. */
export function loadConfig(options: LoadConfigOptions = {}): ArborConfig {
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));

  const flags = flagLayer(argv);
  const configFile = flags.configPath ?? (env.ARBOR_CONFIG || undefined);
  const layers: Layer[] = [
    ...(configFile === undefined ? [] : [fileLayer(configFile, readFile)]),
    envLayer(env),
    flags.layer,
  ];
  const merged = layers.reduce<unknown>((acc, layer) => deepMerge(acc, layer.data), defaultConfig(options.cpuCount));

  const parsed = configSchema.safeParse(merged, { reportInput: true, error: configErrorMap });
  const issues: ConfigIssue[] = parsed.success ? crossFieldIssues(parsed.data) : parsed.error.issues.flatMap(fromZodIssue);
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(issues.map((issue) => formatIssue(issue, sourceOf(layers, issue.path))));
  }

  const { tenants, ...rest } = parsed.data;
  return deepFreeze({
    ...rest,
    tenants: tenants.map((tenant) => resolveTenant(parsed.data, tenant)),
    config_file: configFile ?? null,
  });
}

// The highest-precedence layer that set the value (or one of its parents) is its source.
function sourceOf(layers: readonly Layer[], path: ReadonlyArray<string | number>): string | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (setsPath(layer.data, path)) return layer.label(path);
  }
  return undefined;
}

function setsPath(data: unknown, path: ReadonlyArray<string | number>): boolean {
  let node = data;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return true; // a parent was replaced wholesale
    if (!Object.hasOwn(node, key)) return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return true;
}

/** Warnings worth logging at startup; not errors. */
export function configWarnings(config: ArborConfig): string[] {
  const warnings: string[] = [];
  if (config.tenants.length > 0 && Object.keys(config.capabilities).length > 0) {
    warnings.push("top-level capabilities are ignored because tenants are configured; give each tenant its own");
  }
  if (config.tenants.length === 0 && config.allow_open) {
    warnings.push(`serving without authentication on ${config.host} (allow_open is true)`);
  }
  return warnings;
}
