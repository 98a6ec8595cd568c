// The tool registry, built once at boot from the config's `tools`. For each entry: the component
// file must match its pinned sha256; its imports must be WASI interfaces the host provides and
// the manifest (`wasi`) declares; the tool's function is found among its exports and its WIT
// signature recorded; jco transpiles it (cached by digest); its memories must fit memory_mb.
// Any problem refuses the start, naming the tool.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DeepReadonly } from "../config/types.ts";
import type { ToolEntry as ToolEntryConfig } from "./config.ts";

type ToolEntry = DeepReadonly<ToolEntryConfig>;
import { declared, refusal, unversioned, usesFilesystem, usesHttp } from "./interfaces.ts";
import { transpileCached } from "./transpile-cache.ts";
import { definedMemories, pagesFor } from "./wasm-memory.ts";
import { parseComponentWit, WitParseError } from "./wit.ts";
import { namedTypes, signatureText, type WitFunction } from "./wit-types.ts";
import { camel } from "./values.ts";

export interface RegisteredTool {
  name: string;
  description: string;
  /** Lowercase hex sha256 of the component file. */
  digest: string;
  /** The component's imports as its WIT names them (with versions). */
  interfaces: string[];
  /** The manifest's `wasi` list. */
  wasi: string[];
  function: WitFunction;
  /** `summarize(name: string, items: list<item>) -> summary` */
  signature: string;
  /** Definitions of the named types in the signature. */
  types: Record<string, string>;
  /** Where jco's instance object holds the function: ["summarize"] or ["api", "summarize"]. */
  exportPath: string[];
  /** The transpiled bindings and core modules. */
  dir: string;
  module: string;
  timeout_ms: number;
  memory_mb: number;
  max_output_bytes: number;
  /** The component imports wasi:filesystem: it needs the files capability. */
  filesystem: boolean;
  filesystem_write: boolean;
  /** The component imports wasi:http/outgoing-handler: its requests go through the call's web_fetch policy. */
  http: boolean;
}

/** Why the daemon refuses to start: one line per problem, each naming its tool. */
export class ToolRegistryError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(problems.map((p) => `tools: ${p}`).join("\n"));
    this.name = "ToolRegistryError";
    this.problems = problems;
  }
}

export class ToolRegistry {
  readonly tools: ReadonlyMap<string, RegisteredTool>;

  constructor(tools: RegisteredTool[]) {
    this.tools = new Map(tools.map((t) => [t.name, t]));
  }

  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  /** The registered tools a grant allows, in config order. */
  allowed(allow: readonly string[]): RegisteredTool[] {
    return [...this.tools.values()].filter((t) => allow.includes(t.name));
  }

  get size(): number {
    return this.tools.size;
  }
}

export interface LoadOptions {
  cacheDir?: string;
  /** Where relative component paths start; the working directory unless given. */
  baseDir?: string;
}

/** @throws ToolRegistryError listing every refused tool. */
export async function loadToolRegistry(entries: readonly ToolEntry[], options: LoadOptions = {}): Promise<ToolRegistry> {
  const problems: string[] = [];
  const tools: RegisteredTool[] = [];
  for (const entry of entries) {
    try {
      tools.push(await loadTool(entry, options));
    } catch (e) {
      if (!(e instanceof ToolRefused)) throw e;
      problems.push(`tool '${entry.name}': ${e.message}`);
    }
  }
  if (problems.length > 0) throw new ToolRegistryError(problems);
  return new ToolRegistry(tools);
}

class ToolRefused extends Error {}

async function loadTool(entry: ToolEntry, options: LoadOptions): Promise<RegisteredTool> {
  const path = resolve(options.baseDir ?? process.cwd(), entry.component);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ToolRefused(`cannot read component ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== entry.sha256) {
    throw new ToolRefused(`component ${path} has sha256 ${digest}, but the config pins ${entry.sha256}; refusing to start`);
  }

  for (const d of entry.wasi) {
    const why = refusal(d);
    if (why) throw new ToolRefused(`its manifest declares ${why}`);
  }

  const { componentWit } = await import("@bytecodealliance/jco");
  let witText: string;
  try {
    witText = await componentWit(bytes);
  } catch (e) {
    throw new ToolRefused(`${path} is not a WebAssembly component: ${(e as Error).message.split("\n")[0]}`);
  }
  let world;
  try {
    world = parseComponentWit(witText);
  } catch (e) {
    if (e instanceof WitParseError) throw new ToolRefused(`cannot read the component's WIT: ${e.message}`);
    throw e;
  }

  for (const f of world.importedFunctions) {
    throw new ToolRefused(`the component imports the function '${f}', which the tool host does not provide`);
  }
  for (const imp of world.imports) {
    const why = refusal(imp);
    if (why) throw new ToolRefused(`the component imports ${why}`);
    if (!declared(imp, entry.wasi)) {
      throw new ToolRefused(`the component imports ${unversioned(imp)}, which its manifest ("wasi") does not declare`);
    }
  }

  const fn = pickFunction(entry, world.functions, world.unsupported);

  let transpiled;
  try {
    transpiled = await transpileCached(digest, bytes, options.cacheDir);
  } catch (e) {
    throw new ToolRefused(`jco could not transpile the component: ${(e as Error).message.split("\n")[0]}`);
  }
  const exportPath = jsExportPath(fn, transpiled.exports);

  const cap = pagesFor(entry.memory_mb);
  for (const file of coreModules(transpiled.dir)) {
    for (const pages of definedMemories(readFileSync(join(transpiled.dir, file))).initialPages) {
      if (pages > cap) {
        throw new ToolRefused(`its memory starts at ${Math.ceil(pages / 16)} MiB, above memory_mb (${entry.memory_mb})`);
      }
    }
  }

  const filesystem = usesFilesystem(world.imports);
  return {
    name: entry.name,
    description: entry.description,
    digest,
    interfaces: world.imports,
    wasi: [...entry.wasi],
    function: fn,
    signature: signatureText(fn),
    types: namedTypes(fn),
    exportPath,
    dir: transpiled.dir,
    module: transpiled.module,
    timeout_ms: entry.timeout_ms,
    memory_mb: entry.memory_mb,
    max_output_bytes: entry.max_output_bytes,
    filesystem,
    filesystem_write: filesystem && entry.filesystem_write,
    http: usesHttp(world.imports),
  };
}

function pickFunction(entry: ToolEntry, functions: WitFunction[], unsupported: { name: string; reason: string }[]): WitFunction {
  const shown = (f: WitFunction) => (f.interface ? `${f.interface}#${f.name}` : f.name);
  const all = [...functions.map(shown), ...unsupported.map((u) => u.name)];
  if (entry.export !== undefined) {
    const want = entry.export;
    const bad = unsupported.find((u) => u.name === want || u.name.endsWith(`#${want}`));
    const found = functions.filter((f) => shown(f) === want || f.name === want);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) throw new ToolRefused(`export '${want}' is ambiguous; name it as one of ${found.map(shown).join(", ")}`);
    if (bad) throw new ToolRefused(`export '${bad.name}' cannot be a tool: ${bad.reason}`);
    throw new ToolRefused(`the component exports no function '${want}' (it exports: ${all.join(", ") || "nothing"})`);
  }
  if (all.length !== 1) {
    throw new ToolRefused(
      all.length === 0
        ? "the component exports no function"
        : `the component exports ${all.length} functions (${all.join(", ")}); name the tool's with "export"`,
    );
  }
  if (unsupported.length === 1) throw new ToolRefused(`export '${unsupported[0]!.name}' cannot be a tool: ${unsupported[0]!.reason}`);
  return functions[0]!;
}

/** jco names world exports in camelCase and exported interfaces by their name (or its last part). */
function jsExportPath(fn: WitFunction, exports: [string, "function" | "instance"][]): string[] {
  if (!fn.interface) return [camel(fn.name)];
  const last = unversioned(fn.interface).split("/").pop() ?? fn.interface;
  const candidates = [fn.interface, unversioned(fn.interface), camel(last), last];
  const key = exports.find(([name, kind]) => kind === "instance" && candidates.includes(name))?.[0];
  if (!key) throw new ToolRefused(`cannot find interface '${fn.interface}' in jco's bindings`);
  return [key, camel(fn.name)];
}

function coreModules(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".wasm"));
}
