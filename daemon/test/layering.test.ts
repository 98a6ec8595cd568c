// The daemon sees the runtime through two doors only: runtime/src/host (the handle on executor
// and tool host processes, their launch and confinement) and runtime/src/protocol (the shapes on
// the pipe). Anything else would tie the daemon to an engine's or the executor's internals.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DAEMON_SRC = join(ROOT, "daemon/src");
const RUNTIME_SRC = join(ROOT, "runtime/src");
const ALLOWED = ["host", "protocol"].map((d) => join(RUNTIME_SRC, d) + "/");
const IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mts|mjs)$/.test(e.name) ? [join(dir, e.name)] : []));
}

test("daemon/src imports from runtime/ only runtime/src/host and runtime/src/protocol", () => {
  const files = sources(DAEMON_SRC);
  assert.ok(files.length > 50, `found the daemon's sources (${files.length})`);
  const offenders: string[] = [];
  let runtimeImports = 0;
  for (const file of files) {
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolve(dirname(file), m[1]!);
      if (!target.startsWith(`${join(ROOT, "runtime")}/`)) continue;
      runtimeImports++;
      if (!ALLOWED.some((dir) => target.startsWith(dir))) offenders.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
    }
  }
  assert.ok(runtimeImports > 5, "the check saw the daemon's runtime imports");
  assert.deepEqual(offenders, []);
});
