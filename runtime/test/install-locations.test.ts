// Executors start wherever Node and the project are installed (issue #19): with the Node binary
// in a directory only root can traverse (nvm, volta, `npx -p node@N` under /root), and with the
// checkout itself in such a directory. In both, the executor boots with every layer this machine
// supports active, runs as the unprivileged uid, and from inside its confinement can neither read
// the daemon's config (a 0600 file in a 0700 directory) nor write outside its sandbox.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { SecurityReport } from "../src/host/confine/report.ts";
import type { SelfTestReport } from "../src/executor/confine/selftest.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = "runtime/test/fixtures/confined-executor.ts";
const EPERM = 1;
const EACCES = 13;
const root = process.getuid?.() === 0;

interface FixtureResult {
  node: string;
  security: SecurityReport;
  staged: string | null;
  kernel: { uid: string | null; seccomp: string | null; no_new_privs: string | null };
  reports: SelfTestReport[];
  outcome: { status: string; stdout: string; result: string | null; error: unknown };
}

/** Runs the fixture with `node` from `checkout`; resolves with its JSON line. */
function runFixture(node: string, checkout: string, selftest: string, hostFile: string): Promise<FixtureResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ["--import", "tsx", join(checkout, FIXTURE), hostFile], {
      cwd: checkout,
      env: { ...process.env, ARBOR_CONFINE_SELFTEST: selftest },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`fixture exited ${code}: ${err.slice(-3000)}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!) as FixtureResult);
    });
  });
}

/** A copy of what the daemon needs to run from `dir`; node_modules links back except Pyodide, which is copied. */
function copyCheckout(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of ["package.json", "tsconfig.json"]) copyFileSync(join(REPO, f), join(dir, f));
  cpSync(join(REPO, "runtime"), join(dir, "runtime"), {
    recursive: true,
    preserveTimestamps: true, // keeps the executor bundle up to date: no rebuild in the copy
    filter: (src) => !src.includes("/native/build/headers") && !src.includes("/obj.target"),
  });
  mkdirSync(join(dir, "node_modules"));
  for (const name of readdirSync(join(REPO, "node_modules"))) {
    if (name === "pyodide") cpSync(join(REPO, "node_modules", name), join(dir, "node_modules", name), { recursive: true });
    else symlinkSync(join(REPO, "node_modules", name), join(dir, "node_modules", name));
  }
}

describe("executors start wherever Node and the checkout are installed", { skip: root ? false : "needs root: the uid drop, and a directory only root can traverse, exist only there" }, () => {
  let priv: string;
  let sandbox: string;
  let config: string;
  let listener: Server;
  let connections = 0;
  let selftest: string;

  before(async () => {
    // The private tree: 0700, like /root or a home directory.
    priv = mkdtempSync(join(tmpdir(), "arbor-private-"));
    chmodSync(priv, 0o700);
    config = join(priv, "etc", "arbor.json");
    mkdirSync(join(priv, "etc"), { mode: 0o700 });
    writeFileSync(config, JSON.stringify({ tenants: [{ name: "t", api_key: "secret-key-that-must-not-leak" }] }), { mode: 0o600 });
    // The sandbox the executor must not write into, although any uid may.
    sandbox = mkdtempSync(join(tmpdir(), "arbor-sandbox-"));
    chmodSync(sandbox, 0o777);
    listener = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
    selftest = `${sandbox}:${(listener.address() as { port: number }).port}:${process.pid}`;
  });
  after(() => {
    listener?.close();
    if (priv) rmSync(priv, { recursive: true, force: true });
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  function checkConfined(r: FixtureResult): void {
    const { security } = r;
    const has = (layer: string) => security.supported.includes(layer as never);
    // Every layer this machine supports is in force; none was downgraded for the install location.
    for (const name of security.supported) assert.equal(security.layers[name]?.active, true, `${name}: ${security.layers[name]?.detail}`);
    assert.ok(has("unprivileged_uid"), "root with the launcher built: the uid layer applies");
    assert.equal(r.kernel.uid, "65534");
    assert.equal(r.kernel.no_new_privs, "1");
    assert.ok(r.reports.find((x) => x.stage === "before_seccomp"), "no self-test report from the executor");
    for (const report of r.reports) {
      assert.equal(report.uid, 65534);
      assert.equal(report.read_path, config);
      // The config: DAC alone (uid 65534, a 0600 file in a 0700 directory) refuses it, Landlock too.
      assert.equal(report.native_read, EACCES, "open() of the daemon's config from inside the executor");
      assert.notEqual(report.node_read, "ok");
      if (has("node_permission")) assert.equal(report.node_read, "ERR_ACCESS_DENIED");
      // The world-writable sandbox: Landlock refuses writes from the start, seccomp after init.
      if (has("landlock") || report.stage === "after_seccomp") assert.equal(report.native_write, EACCES, `open(O_CREAT) in a world-writable directory, ${report.stage}`);
      if (has("node_permission")) assert.equal(report.node_write, "ERR_ACCESS_DENIED");
    }
    if (has("seccomp")) {
      assert.equal(r.kernel.seccomp, "2");
      const after = r.reports.find((x) => x.stage === "after_seccomp");
      assert.equal(after?.fork, EPERM);
      assert.equal(after?.exec, EPERM);
    }
    // Python sees neither the host file nor anything else outside its interpreter, and still runs.
    assert.equal(r.outcome.status, "ok", JSON.stringify(r.outcome.error));
    assert.equal(r.outcome.stdout, "42\n");
    assert.equal(r.outcome.result, "['FileNotFoundError']");
    // The host side: nothing was written (Landlock), nothing connected (Landlock ABI >= 4).
    if (has("landlock")) assert.deepEqual(readdirSync(sandbox), []);
    if (/no TCP/.test(security.layers.landlock?.detail ?? "")) assert.equal(connections, 0);
  }

  test("Node in a directory only root can traverse (nvm, `npx -p node@N` under /root)", async () => {
    const bin = join(priv, "node", "bin");
    mkdirSync(bin, { recursive: true });
    const node = join(bin, "node");
    try {
      linkSync(process.execPath, node);
    } catch {
      copyFileSync(process.execPath, node); // another filesystem
      chmodSync(node, 0o755);
    }
    const r = await runFixture(node, REPO, `${selftest}:${config}`, config);
    assert.equal(r.node, node);
    checkConfined(r);
  });

  test("the checkout in a directory only root can traverse: runtime and Pyodide are staged", async () => {
    const checkout = join(priv, "home", "arbor");
    copyCheckout(checkout);
    const r = await runFixture(process.execPath, checkout, `${selftest}:${config}`, config);
    checkConfined(r);
    assert.ok(r.staged, "the executor uid cannot read the checkout: its files must come from a staged copy");
    assert.ok(!r.staged.startsWith(priv), r.staged);
    assert.match(r.security.layers.unprivileged_uid!.detail, /staged read-only/);
    // The copy lives as long as the daemon that made it.
    assert.equal(existsSync(r.staged), false, "the staged copy outlived its daemon");
  });
});
