// The tool registry at boot, on real components (assembled from WAT by jco, or built by
// componentize-js; cached by source hash): pinned digests, the WASI manifest against the
// component's real imports, the choice of the exported function, the memory floor, the
// transpile cache, and the daemon refusing to start over any of it.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { createArbor } from "../src/app.ts";
import { ConfigError, loadConfig } from "../src/config/index.ts";
import { toolEntrySchema } from "../src/tools/config.ts";
import { loadToolRegistry, ToolRegistryError } from "../src/tools/registry.ts";
import { clockComponent, misbehaveComponent, readerComponent, READER_WASI, socketsComponent, type Built } from "./tools-fixtures.ts";

const entry = (fields: Record<string, unknown>) => toolEntrySchema.parse(fields);

async function refusal(entries: Record<string, unknown>[], cacheDir: string): Promise<string> {
  try {
    await loadToolRegistry(entries.map(entry), { cacheDir });
  } catch (e) {
    assert.ok(e instanceof ToolRegistryError, String(e));
    return e.message;
  }
  assert.fail("the registry accepted it");
}

describe("tool registry at boot", () => {
  let cache: string;
  let misbehave: Built;
  let clock: Built;
  let sockets: Built;
  let reader: Built;

  before(async () => {
    cache = mkdtempSync(join(tmpdir(), "arbor-tool-cache-"));
    [misbehave, clock, sockets, reader] = await Promise.all([misbehaveComponent(), clockComponent(), socketsComponent(), readerComponent()]);
  });

  test("records the signature, digest and imports, and transpiles once (cached by digest)", async () => {
    const fields = [
      { name: "add", component: misbehave.path, sha256: misbehave.sha256, export: "add" },
      { name: "now", component: clock.path, sha256: clock.sha256, wasi: ["wasi:clocks/monotonic-clock"] },
    ];
    const registry = await loadToolRegistry(fields.map(entry), { cacheDir: cache });
    const add = registry.get("add")!;
    assert.equal(add.signature, "add(a: s32, b: s32) -> s32");
    assert.equal(add.digest, misbehave.sha256);
    assert.deepEqual(add.interfaces, []);
    assert.deepEqual(registry.get("now")!.interfaces, ["wasi:clocks/monotonic-clock@0.2.3"]);
    // One directory per component digest (and jco version), inside the given cache dir.
    const dirs = readdirSync(cache);
    assert.equal(dirs.length, 2);
    for (const digest of [clock.sha256, misbehave.sha256]) assert.ok(dirs.some((d) => d.startsWith(`${digest}-jco`)), digest);
    const made = statSync(join(add.dir, "transpiled.json")).mtimeMs;
    const again = await loadToolRegistry(fields.map(entry), { cacheDir: cache });
    assert.equal(again.get("add")!.dir, add.dir);
    assert.equal(statSync(join(add.dir, "transpiled.json")).mtimeMs, made, "the second boot reused the transpile");
  });

  test("a digest mismatch refuses the start, naming the tool and both digests", async () => {
    const wrong = "0".repeat(64);
    const message = await refusal([{ name: "add", component: misbehave.path, sha256: wrong, export: "add" }], cache);
    assert.match(message, /tool 'add': component .*misbehave.*\.wasm has sha256 [0-9a-f]{64}, but the config pins 0{64}; refusing to start/);
  });

  test("a manifest that declares a forbidden interface is refused, naming it", async () => {
    const message = await refusal([{ name: "add", component: misbehave.path, sha256: misbehave.sha256, export: "add", wasi: ["wasi:sockets/tcp"] }], cache);
    assert.match(message, /tool 'add': its manifest declares wasi:sockets\/tcp is forbidden: tools get no network sockets/);
  });

  test("a component importing a forbidden interface is refused even when its manifest declares it", async () => {
    const message = await refusal([{ name: "ping", component: sockets.path, sha256: sockets.sha256, wasi: ["wasi:sockets/*"] }], cache);
    assert.match(message, /wasi:sockets\/\* is forbidden/);
    const undeclared = await refusal([{ name: "ping", component: sockets.path, sha256: sockets.sha256 }], cache);
    assert.match(undeclared, /tool 'ping': the component imports wasi:sockets\/instance-network is forbidden: tools get no network sockets/);
  });

  test("an import the manifest does not declare is refused, naming the interface", async () => {
    const message = await refusal([{ name: "now", component: clock.path, sha256: clock.sha256, wasi: ["wasi:random/*"] }], cache);
    assert.match(message, /tool 'now': the component imports wasi:clocks\/monotonic-clock, which its manifest \("wasi"\) does not declare/);
    // componentize-js's adapter imports more than the tool's own WIT: each must be declared.
    const partly = await refusal([{ name: "reader", component: reader.path, sha256: reader.sha256, wasi: ["wasi:filesystem/*"] }], cache);
    assert.match(partly, /tool 'reader': the component imports wasi:io\/\S+, which its manifest/);
    const ok = await loadToolRegistry([entry({ name: "reader", component: reader.path, sha256: reader.sha256, wasi: READER_WASI, export: "read-text" })], { cacheDir: cache });
    assert.equal(ok.get("reader")!.signature, "read-text(path: string) -> result<string, string>");
    assert.equal(ok.get("reader")!.filesystem, true);
  });

  test("which function is the tool: the only export, or the one `export` names", async () => {
    const many = await refusal([{ name: "x", component: misbehave.path, sha256: misbehave.sha256 }], cache);
    assert.match(many, /the component exports 4 functions \(boom, spin, hog, add\); name the tool's with "export"/);
    const missing = await refusal([{ name: "x", component: misbehave.path, sha256: misbehave.sha256, export: "nope" }], cache);
    assert.match(missing, /the component exports no function 'nope' \(it exports: boom, spin, hog, add\)/);
  });

  test("memory_mb below the component's initial memory is refused", async () => {
    const message = await refusal([{ name: "now", component: clock.path, sha256: clock.sha256, wasi: ["wasi:clocks/*"], memory_mb: 1 }], cache);
    assert.match(message, /tool 'now': its memory starts at 3 MiB, above memory_mb \(1\)/);
  });

  test("every refused tool is listed, and the daemon does not start", async () => {
    const config = loadConfig({
      argv: ["--config", "arbor.json"],
      env: { ARBOR_WORKERS: "1" },
      readFile: () =>
        JSON.stringify({
          tools: [
            { name: "a", component: misbehave.path, sha256: "1".repeat(64), export: "add" },
            { name: "b", component: join(cache, "missing.wasm"), sha256: misbehave.sha256 },
          ],
        }),
    });
    await assert.rejects(createArbor({ config }), (e: unknown) => {
      assert.ok(e instanceof ToolRegistryError);
      assert.equal(e.problems.length, 2);
      assert.match(e.problems[0]!, /^tool 'a': .* pins 1{64}/);
      assert.match(e.problems[1]!, /^tool 'b': cannot read component .*missing\.wasm: ENOENT/);
      return true;
    });
  });

  test("config: entries are checked for shape, and grants must name registered tools", () => {
    const load = (file: unknown) => () => loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
    assert.throws(load({ tools: [{ name: "Bad Name", component: "x.wasm", sha256: "ab" }] }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /tools\[0\]\.name: expected a lowercase name/);
      assert.match(e.message, /tools\[0\]\.sha256: expected 64 hex digits/);
      return true;
    });
    assert.throws(load({ capabilities: { tools: { allow: ["ghost"] } } }), /capabilities\.tools\.allow\[0\]: no tool named "ghost" is registered in "tools"/);
    assert.throws(load({ tools: [{ name: "t", component: "x.wasm", sha256: "a".repeat(64), wasi: ["sockets"] }] }), /tools\[0\]\.wasi\[0\]: expected an interface name/);
  });
});
