// The shell capability with real executables: allowlist, argument patterns, timeout, output cap.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { effectivePolicy, parseCapabilitiesConfig, performHostCall } from "../src/bridge/index.ts";
import type { ShellPolicy } from "../src/bridge/policy.ts";
import { runShell } from "../src/bridge/shell.ts";

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "arbor-shell-root-"));
  await writeFile(join(root, "a.txt"), "alpha\nbeta\n");
});
after(() => rm(root, { recursive: true, force: true }));

function call(argv: unknown, shell: Record<string, unknown>, withFiles = true) {
  const config = parseCapabilitiesConfig({ shell, ...(withFiles ? { files: { root } } : {}) });
  return performHostCall({ name: "shell", args: { argv } }, { policy: effectivePolicy(config), deadline: Date.now() + 60_000 });
}

interface Value {
  exit_code: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timed_out: boolean;
}
function valueOf(r: Awaited<ReturnType<typeof call>>): Value {
  assert.equal(r.reply.ok, true, `expected success, got ${JSON.stringify(r.reply)}`);
  if (!r.reply.ok) throw new Error("unreachable");
  return r.reply.value as Value;
}
function errorOf(r: Awaited<ReturnType<typeof call>>) {
  assert.equal(r.reply.ok, false, `expected a failure, got ${JSON.stringify(r.reply)}`);
  if (r.reply.ok) throw new Error("unreachable");
  return r.reply.error;
}

/** Pids of live processes whose process group is `pgid`, read from /proc. */
async function groupMembers(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (stat === null) continue;
    // Fields after the ")" that closes the command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry));
  }
  return members;
}

describe("shell", () => {
  test("runs echo with an argv, not a shell string", async () => {
    const r = await call(["echo", "hello", "$HOME; rm -rf /"], { allow: ["echo"] });
    const v = valueOf(r);
    assert.equal(v.exit_code, 0);
    assert.equal(v.stdout, "hello $HOME; rm -rf /\n");
    assert.equal(v.truncated, false);
    assert.equal(v.timed_out, false);
    assert.equal(r.record.outcome, "ok");
    assert.equal(r.record.args_summary, '["echo","hello","$HOME; rm -rf /"]');
  });

  test("runs in the files root with a scrubbed environment", async () => {
    const ls = valueOf(await call(["ls"], { allow: ["ls"] }));
    assert.equal(ls.stdout, "a.txt\n");
    const env = valueOf(await call(["env"], { allow: ["env"] }));
    const lines = env.stdout.trim().split("\n").sort();
    assert.deepEqual(lines, ["HOME=" + (await realpath(root)), "LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin"].sort());
  });

  test("without files granted, runs in an empty temp dir that is removed afterwards", async () => {
    const v = valueOf(await call(["pwd"], { allow: ["pwd"] }, false));
    const dir = v.stdout.trim();
    assert.notEqual(dir, await realpath(root));
    await assert.rejects(readdir(dir), { code: "ENOENT" });
  });

  test("a command not in shell.allow is denied, naming the rule", async () => {
    const r = await call(["rm", "-rf", "a.txt"], { allow: ["ls", "echo"] });
    const e = errorOf(r);
    assert.equal(e.type, "PermissionError");
    assert.equal(e.message, "shell: 'rm' is not in shell.allow");
    assert.equal(r.record.outcome, "denied");
    assert.equal(await readFile(join(root, "a.txt"), "utf8"), "alpha\nbeta\n");
  });

  test("argv[0] with a slash must equal an absolute entry exactly", async () => {
    const e = errorOf(await call(["/usr/bin/ls"], { allow: ["ls"] }));
    assert.equal(e.type, "PermissionError");
    assert.match(e.message, /a path must equal an absolute entry/);
    assert.equal(errorOf(await call(["./ls"], { allow: ["ls"] })).type, "PermissionError");
    assert.equal(valueOf(await call(["/usr/bin/ls"], { allow: ["/usr/bin/ls"] })).stdout, "a.txt\n");
    // An absolute entry also allows the bare name that resolves to it on the fixed PATH.
    assert.equal(valueOf(await call(["ls"], { allow: ["/usr/bin/ls"] })).stdout, "a.txt\n");
  });

  test("arguments must each fully match one of the entry's patterns", async () => {
    const allow = [{ cmd: "grep", args: ["-[a-z]+", "[a-z]+", "[a-z]+\\.txt"] }];
    const ok = valueOf(await call(["grep", "-n", "beta", "a.txt"], { allow }));
    assert.equal(ok.stdout, "2:beta\n");
    const e = errorOf(await call(["grep", "-n", "beta", "/etc/passwd"], { allow }));
    assert.equal(e.type, "PermissionError");
    assert.equal(e.message, "shell: argument '/etc/passwd' to 'grep' does not match any shell.allow pattern for it");
    // Patterns are anchored by us: "[a-z]+" must not accept "beta;x" via a partial match.
    assert.equal(errorOf(await call(["grep", "beta;x", "a.txt"], { allow })).type, "PermissionError");
  });

  test("a timeout kills the whole process group, background children included", async () => {
    const policy: ShellPolicy = parseCapabilitiesConfig({ shell: { allow: ["sh"], timeout_ms: 500 } }).shell!;
    const run = await runShell(policy, ["sh", "-c", "sleep 30 & sleep 30"], { files: null, deadline: Date.now() + 60_000 });
    assert.equal(run.timed_out, true);
    assert.equal(run.exit_code, -9);
    assert.ok(run.pid !== null);
    assert.deepEqual(await groupMembers(run.pid), []);
  });

  test("sleep 30 past shell.timeout_ms reports timed_out", async () => {
    const r = await call(["sleep", "30"], { allow: ["sleep"], timeout_ms: 300 });
    const v = valueOf(r);
    assert.equal(v.timed_out, true);
    assert.equal(v.exit_code, -9);
    assert.match(r.record.detail ?? "", /timed_out/);
  });

  test("background processes do not outlive a command that exits normally", async () => {
    const policy = parseCapabilitiesConfig({ shell: { allow: ["sh"] } }).shell!;
    const run = await runShell(policy, ["sh", "-c", "sleep 30 > /dev/null 2>&1 & echo started"], {
      files: null,
      deadline: Date.now() + 60_000,
    });
    assert.equal(run.stdout, "started\n");
    assert.equal(run.timed_out, false);
    assert.ok(run.pid !== null);
    assert.deepEqual(await groupMembers(run.pid), []);
  });

  test("output over shell.max_output_bytes is cut and the command killed", async () => {
    const v = valueOf(await call(["yes"], { allow: ["yes"], max_output_bytes: 10_000, timeout_ms: 30_000 }));
    assert.equal(v.truncated, true);
    assert.equal(v.timed_out, false);
    assert.equal(v.stdout.length, 10_000);
    assert.ok(/^(y\n)+$/.test(v.stdout));
    assert.equal(v.exit_code, -9);
  });

  test("the eval deadline bounds the command even when shell.timeout_ms is larger", async () => {
    const config = parseCapabilitiesConfig({ shell: { allow: ["sleep"], timeout_ms: 60_000 } });
    const r = await performHostCall(
      { name: "shell", args: { argv: ["sleep", "30"] } },
      { policy: effectivePolicy(config), deadline: Date.now() + 300 },
    );
    assert.equal(valueOf(r).timed_out, true);
  });

  test("a nonzero exit code and stderr come back as they are", async () => {
    const v = valueOf(await call(["ls", "missing-file"], { allow: ["ls"] }));
    assert.notEqual(v.exit_code, 0);
    assert.match(v.stderr, /missing-file/);
  });

  test("an allowed name that is not installed is an OSError", async () => {
    const e = errorOf(await call(["arbor-no-such-tool"], { allow: ["arbor-no-such-tool"] }));
    assert.equal(e.type, "OSError");
  });
});
