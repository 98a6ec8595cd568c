// Reads the config layers (file, env vars, flags) into partial config objects, each labelled
// with where it came from so errors can say so.
import { ConfigError } from "./config-error.ts";
import { isPlainObject } from "./merge.ts";

export interface Layer {
  /** e.g. "from ARBOR_PORT", "from --port", "in /etc/arbor.json"; undefined when unknown. */
  label: (path: ReadonlyArray<string | number>) => string | undefined;
  data: Record<string, unknown>;
}

export const ENV_VARS = {
  ARBOR_HOST: { path: ["host"], int: false },
  ARBOR_PORT: { path: ["port"], int: true },
  ARBOR_WORKERS: { path: ["workers"], int: true },
  ARBOR_LOG_LEVEL: { path: ["log", "level"], int: false },
} as const;

export const FLAGS = {
  "--host": { path: ["host"], int: false },
  "--port": { path: ["port"], int: true },
  "--workers": { path: ["workers"], int: true },
  "--log-level": { path: ["log", "level"], int: false },
} as const;

/** Flags that take no value. */
export const SWITCHES = { "--allow-open": { path: ["allow_open"], value: true } } as const;

type Env = Readonly<Record<string, string | undefined>>;

// Env and flags are strings; digits become numbers, anything else stays a string for the
// schema to reject with the value quoted.
function coerce(raw: string, int: boolean): unknown {
  return int && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}

function labelByPath(labels: Map<string, string>) {
  return (path: ReadonlyArray<string | number>) => {
    for (let n = path.length; n > 0; n--) {
      const label = labels.get(path.slice(0, n).join("."));
      if (label) return `from ${label}`;
    }
    return undefined;
  };
}

export function envLayer(env: Env): Layer {
  const data: Record<string, unknown> = {};
  const labels = new Map<string, string>();
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue; // `ARBOR_PORT= npm start` means unset
    setPath(data, spec.path, coerce(raw, spec.int));
    labels.set(spec.path.join("."), name);
  }
  return { data, label: labelByPath(labels) };
}

export interface ParsedFlags {
  layer: Layer;
  configPath: string | undefined;
}

/** Picks the config flags out of argv and ignores the rest (subcommands belong to the CLI). */
export function flagLayer(argv: readonly string[]): ParsedFlags {
  const data: Record<string, unknown> = {};
  const labels = new Map<string, string>();
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (Object.hasOwn(SWITCHES, name)) {
      const spec = SWITCHES[name as keyof typeof SWITCHES];
      setPath(data, spec.path, spec.value);
      labels.set(spec.path.join("."), name);
      continue;
    }
    if (name !== "--config" && !Object.hasOwn(FLAGS, name)) continue;
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) value = argv[++i];
    if (value === undefined || value === "") throw new ConfigError(`${name} needs a value`);
    if (name === "--config") {
      configPath = value;
      continue;
    }
    const spec = FLAGS[name as keyof typeof FLAGS];
    setPath(data, spec.path, coerce(value, spec.int));
    labels.set(spec.path.join("."), name);
  }
  return { layer: { data, label: labelByPath(labels) }, configPath };
}

export function fileLayer(path: string, readFile: (path: string) => string): Layer {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`cannot read config file ${path}: ${reason}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: invalid JSON${jsonPosition(text, err)}: ${(err as Error).message}`);
  }
  if (!isPlainObject(data)) throw new ConfigError(`${path}: expected a JSON object at the top level`);
  return { data, label: () => `in ${path}` };
}

// V8's messages carry "position N" (Node 20) and sometimes "line L column C" (Node 22).
function jsonPosition(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : "";
  if (/line \d+ column \d+/.test(message)) return "";
  const match = /position (\d+)/.exec(message);
  const offset = match ? Number(match[1]) : text.trim() === "" ? 0 : undefined;
  if (offset === undefined) return "";
  const before = text.slice(0, offset).split("\n");
  return ` at line ${before.length} column ${before[before.length - 1]!.length + 1}`;
}
