// `security.require`: a confinement layer that cannot be applied is named, with its reason, on the
// ready line and in /healthz; the daemon refuses to start only when the config requires that
// layer. Real `arbor` processes (daemon/bin/arbor.mjs); ARBOR_CONFINE_DISABLE stands in for a
// setup that cannot apply a layer, which works the same on any machine.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { ConfigError, loadConfig } from "../src/config/index.ts";

const BIN = fileURLToPath(new URL("../bin/arbor.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "arbor-require-"));

function start(args: string[], env: Record<string, string>): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ARBOR_CONFIG: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

function configFile(name: string, config: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe("security.require in the config", () => {
  test('defaults to "supported", and accepts only layer names', () => {
    assert.equal(loadConfig({ argv: [], env: {} }).security.require, "supported");
    const listed = loadConfig({ argv: ["--config", "x.json"], env: {}, readFile: () => JSON.stringify({ security: { require: ["landlock", "seccomp"] } }) });
    assert.deepEqual(listed.security.require, ["landlock", "seccomp"]);
    assert.throws(
      () => loadConfig({ argv: ["--config", "x.json"], env: {}, readFile: () => JSON.stringify({ security: { require: ["landlok"] } }) }),
      (e: unknown) => e instanceof ConfigError && /security\.require/.test(e.message) && /landlock, seccomp/.test(e.message),
    );
  });
});

describe("a required layer that is not in force", () => {
  test("arbor serve refuses to start, naming the layer and why (exit 2, no executor booted)", async () => {
    const config = configFile("require-landlock.json", { security: { require: ["landlock", "code_generation"] } });
    const run = start(["serve", "--port", "0"], { ARBOR_CONFIG: config, ARBOR_CONFINE_DISABLE: "landlock" });
    assert.equal(await run.exited, 2, run.stderr());
    assert.match(run.stderr(), /required confinement layer inactive: landlock: disabled by ARBOR_CONFINE_DISABLE/);
    assert.match(run.stderr(), /refusing to start/);
    assert.doesNotMatch(run.stderr(), /inactive: code_generation/, "a required layer that is in force is not reported");
    assert.doesNotMatch(run.stderr(), /interpreters ready|booting/);
  });

  test("arbor eval refuses the same way", async () => {
    const config = configFile("require-seccomp.json", { security: { require: ["seccomp"] } });
    const code = join(dir, "x.py");
    writeFileSync(code, "1\n");
    const run = start(["eval", code], { ARBOR_CONFIG: config, ARBOR_CONFINE_DISABLE: "seccomp" });
    assert.equal(await run.exited, 2, run.stderr());
    assert.match(run.stderr(), /arbor eval: required confinement layer inactive: seccomp: disabled by ARBOR_CONFINE_DISABLE/);
  });
});

describe("a layer that is not in force and not required", () => {
  let daemon: ReturnType<typeof start> | undefined;
  after(async () => {
    daemon?.child.kill("SIGTERM");
    await daemon?.exited;
  });

  test("the daemon serves, and says which layer and why on its ready line and in /healthz", async () => {
    daemon = start(["serve", "--port", "0", "--workers", "1"], { ARBOR_CONFINE_DISABLE: "landlock" });
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = daemon!.stderr().match(/listening on (http:\/\/\S+)/);
        if (m) {
          clearInterval(timer);
          resolve(m[1]!);
        }
      }, 50);
      void daemon!.exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`daemon exited ${code}: ${daemon!.stderr()}`));
      });
    });
    const ready = daemon.stderr().split("\n").find((l) => l.includes("interpreters ready 1/1"));
    assert.ok(ready, daemon.stderr());
    assert.match(ready, /confinement: \d\/7 OS layers active; inactive: landlock: disabled by ARBOR_CONFINE_DISABLE/);

    const health = (await (await fetch(`${address}/healthz`)).json()) as {
      security: { confined: boolean; layers: Record<string, { active: boolean; detail: string }>; inactive: string[]; supported: string[]; required: string[] };
    };
    const { security } = health;
    assert.equal(security.confined, false);
    assert.equal(security.layers.landlock?.active, false);
    assert.equal(security.layers.landlock?.detail, "disabled by ARBOR_CONFINE_DISABLE");
    assert.ok(security.inactive.includes("landlock: disabled by ARBOR_CONFINE_DISABLE"), JSON.stringify(security.inactive));
    // The default requirement is what the machine supports, less what the operator turned off.
    assert.ok(!security.supported.includes("landlock"));
    assert.deepEqual(security.required, security.supported);
    for (const name of security.required) assert.equal(security.layers[name]?.active, true, name);
  });
});
