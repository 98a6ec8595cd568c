// jco transpiles each component once: the JavaScript bindings and the core modules land in
// <cache>/<sha256>-jco<version>/ and every later boot reuses them. The directory is written under
// a temporary name and renamed, so daemons starting side by side never see half a transpile.
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** jco's version: a new jco transpiles anew. (The package exports no package.json: find it from its entry.) */
const JCO_VERSION = jcoVersion();

function jcoVersion(): string {
  for (let d = dirname(createRequire(import.meta.url).resolve("@bytecodealliance/jco")); d !== dirname(d); d = dirname(d)) {
    try {
      const pkg = JSON.parse(readFileSync(join(d, "package.json"), "utf8")) as { name?: string; version: string };
      if (pkg.name === "@bytecodealliance/jco") return pkg.version;
    } catch {
      // not here; one level up
    }
  }
  return "unknown";
}

/** The project's ignored cache dir (.arbor-cache/), unless ARBOR_TOOL_CACHE names another. */
export function toolCacheDir(): string {
  return process.env.ARBOR_TOOL_CACHE || fileURLToPath(new URL("../../../.arbor-cache/tools", import.meta.url));
}

export interface Transpiled {
  dir: string;
  /** The bindings module, relative to dir. */
  module: string;
  /** jco's view of the exports: [name, "function" | "instance"]. */
  exports: [string, "function" | "instance"][];
  cached: boolean;
}

const MANIFEST = "transpiled.json";
// jco writes ES modules named .js: Node looks up the nearest package.json for their type, and on
// Node 24 the tool host's permission model forbids reading any outside the transpile (ours).
const PACKAGE_SCOPE = '{"type":"module"}\n';

export async function transpileCached(digest: string, bytes: Uint8Array, cacheDir = toolCacheDir()): Promise<Transpiled> {
  const dir = join(cacheDir, `${digest}-jco${JCO_VERSION}`);
  const manifest = join(dir, MANIFEST);
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { exports: Transpiled["exports"] };
    if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), PACKAGE_SCOPE, { mode: 0o644 }); // a cache from before
    return { dir, module: "tool.js", exports: m.exports, cached: true };
  }
  const { transpile } = await import("@bytecodealliance/jco");
  // Sync instantiation: the tool host hands jco its own narrowed WASI imports and compiled modules.
  const out = await transpile(bytes, { name: "tool", instantiation: "sync", noTypescript: true, quiet: true });
  mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o755 });
  for (const [name, content] of Object.entries(out.files)) {
    if (name.endsWith(".d.ts")) continue;
    mkdirSync(dirname(join(tmp, name)), { recursive: true, mode: 0o755 });
    writeFileSync(join(tmp, name), content, { mode: 0o644 });
  }
  writeFileSync(join(tmp, "package.json"), PACKAGE_SCOPE, { mode: 0o644 });
  writeFileSync(join(tmp, MANIFEST), JSON.stringify({ exports: out.exports, jco: JCO_VERSION }), { mode: 0o644 });
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // Another daemon finished first: its copy is the same transpile.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(manifest)) throw e;
  }
  return { dir, module: "tool.js", exports: out.exports, cached: false };
}
