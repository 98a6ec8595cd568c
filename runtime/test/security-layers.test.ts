// Each OS layer around a real executor, verified rather than assumed: the executor (in test mode,
// confine/selftest.ts) tries a native write, a host read, a TCP connect to a listener of ours,
// a signal to this process, fork and exec from inside its confinement, before and after seccomp;
// here we check the errnos it saw AND the host side (no file, no connection, we are alive), plus
// /proc/<pid>/status of the executor (uid, seccomp mode, no_new_privs) as the kernel reports it.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { confinementPlan } from "../src/host/confine/layers.ts";
import { SELFTEST_MARK, type SelfTestReport } from "../src/executor/confine/selftest.ts";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import { job } from "./helpers.ts";

const EPERM = 1;
const EACCES = 13;

describe("OS confinement of an executor", () => {
  const plan = confinementPlan();
  let ex: ExecutorProcess;
  let dir: string;
  let listener: Server;
  let connections = 0;
  let reports: Map<string, SelfTestReport>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "arbor-layers-"));
    chmodSync(dir, 0o777); // file permissions alone would let any uid write here
    listener = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
    const port = (listener.address() as { port: number }).port;
    process.env.ARBOR_CONFINE_SELFTEST = `${dir}:${port}:${process.pid}`;
    try {
      ex = await ExecutorProcess.spawn({});
    } finally {
      delete process.env.ARBOR_CONFINE_SELFTEST;
    }
    reports = new Map();
    for (const line of ex.lastStderr.split("\n")) {
      if (!line.startsWith(SELFTEST_MARK)) continue;
      const r = JSON.parse(line.slice(SELFTEST_MARK.length)) as SelfTestReport;
      reports.set(r.stage, r);
    }
  });
  after(() => {
    ex?.kill("killed_shutdown");
    listener.close();
  });

  test("every layer is either in force or reported inactive with a reason", () => {
    for (const [name, layer] of Object.entries(plan)) {
      if (!layer || typeof layer !== "object" || !("active" in layer)) continue;
      assert.ok(layer.active || layer.detail.length > 0, `${name} is off without a reason`);
    }
  });

  test("Landlock: no writes, no host reads outside the allowed paths, no TCP, no foreign signals", { skip: plan.landlock.active ? false : plan.landlock.detail }, () => {
    const r = reports.get("before_seccomp");
    assert.ok(r, `no self-test report in the executor's stderr: ${ex.lastStderr.slice(-500)}`);
    assert.equal(r.native_write, EACCES, "open(O_CREAT) in a world-writable directory");
    assert.equal(r.native_read, EACCES, "open(/etc/hostname)");
    if (plan.landlock.abi >= 4) assert.equal(r.connect, EACCES, "TCP connect");
    if (plan.landlock.abi >= 6) assert.equal(r.kill_parent, EPERM, "kill(daemon, 0)");
  });

  test("seccomp: no fork, no exec, no sockets, no writes, no foreign signals", { skip: plan.seccomp.active ? false : plan.seccomp.detail }, () => {
    const r = reports.get("after_seccomp");
    assert.ok(r, `no self-test report after seccomp: ${ex.lastStderr.slice(-500)}`);
    assert.equal(r.fork, EPERM);
    assert.equal(r.exec, EPERM);
    assert.equal(r.connect, EPERM, "socket() itself is refused");
    assert.equal(r.native_write, EACCES);
    assert.equal(r.kill_parent, EPERM);
  });

  test("Node's permission model refuses fs writes and host reads", { skip: plan.node_permission.active ? false : plan.node_permission.detail }, () => {
    for (const r of reports.values()) {
      assert.equal(r.node_write, "ERR_ACCESS_DENIED");
      assert.equal(r.node_read, "ERR_ACCESS_DENIED");
    }
  });

  test("the kernel's view of the executor: uid, seccomp mode, no_new_privs", () => {
    const status = readFileSync(`/proc/${ex.pid}/status`, "utf8");
    const field = (name: string) => status.match(new RegExp(`^${name}:\\s*(\\S+)`, "m"))?.[1];
    if (plan.seccomp.active) assert.equal(field("Seccomp"), "2");
    if (plan.launcher || plan.seccomp.active) assert.equal(field("NoNewPrivs"), "1");
    if (plan.uid.active) assert.equal(field("Uid"), String(plan.uid.uid));
    if (plan.uid.active) assert.equal(reports.get("before_seccomp")?.uid, plan.uid.uid);
    // The executor's environment holds only our own settings.
    const environ = readFileSync(`/proc/${ex.pid}/environ`, "utf8").split("\0").filter(Boolean);
    if (plan.empty_environment.active) for (const kv of environ) assert.match(kv, /^ARBOR_/, kv);
  });

  test("host side: nothing was written, nothing connected, and the executor still serves", async () => {
    // Without Landlock (an older kernel) the probes before seccomp reach the host; the layers
    // that are in force still keep their part out.
    if (plan.landlock.active) assert.deepEqual(readdirSync(dir), []);
    if (plan.seccomp.active) assert.ok(!readdirSync(dir).includes("native-after_seccomp"), readdirSync(dir).join(", "));
    if (plan.node_permission.active) assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith("node-")), []);
    if (plan.landlock.active && plan.landlock.abi >= 4) assert.equal(connections, 0);
    const o = await ex.run(job("print(6 * 7)"));
    assert.equal(o.status, "ok", JSON.stringify(o.error));
    assert.equal(o.stdout, "42\n");
  });

  test("from Python, the same doors are closed in-process first", async () => {
    const o = await ex.run(job(`
import os, socket
out = []
out.append(os.system("touch ${dir}/py"))
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except OSError as e:
    out.append(type(e).__name__)
try:
    import ctypes
except ImportError as e:
    out.append(type(e).__name__)
out`));
    assert.equal(o.status, "ok", JSON.stringify(o.error));
    assert.equal(o.result, "[-1, 'PermissionError', 'ModuleNotFoundError']");
    assert.ok(!readdirSync(dir).includes("py"));
  });
});
