// Bundles runtime/src/executor/main.ts into one ES module (see bundle.ts for why). Run as a child
// process: esbuild plugins need its async API, and the daemon's launch path is synchronous.
// Usage: node build-executor.mjs ENTRY OUTFILE
import { createRequire } from "node:module";

const [entry, outfile] = process.argv.slice(2);
// esbuild comes with tsx (the daemon's own TypeScript loader): not a new dependency.
const esbuild = createRequire(import.meta.url)("esbuild");

try {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["pyodide", "*.node"],
    logLevel: "silent",
  });
} catch (e) {
  const first = e.errors?.[0];
  const where = first?.location ? ` (${first.location.file}:${first.location.line})` : "";
  process.stderr.write(first ? first.text + where : String(e.message ?? e));
  process.exit(1);
}
