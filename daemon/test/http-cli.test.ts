// The `arbor` command as users run it: real child processes of daemon/bin/arbor.mjs, checked by
// exit code and output. Exit codes: 0 ok, 1 the Python code failed, 2 usage or config error.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { before, describe, test } from "node:test";

const BIN = fileURLToPath(new URL("../bin/arbor.mjs", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function arbor(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ARBOR_CONFIG: "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

const dir = mkdtempSync(join(tmpdir(), "arbor-cli-"));

// Each eval boots its own interpreter (seconds): start the three at once, at load, so they run
// while the usage tests do.
const evals = (() => {
  const okFile = join(dir, "ok.py");
  writeFileSync(okFile, "print('hello')\n6 * 7\n");
  const raisesFile = join(dir, "raises.py");
  writeFileSync(raisesFile, "def f():\n    raise ValueError('nope')\nf()\n");
  const slowFile = join(dir, "slow.py");
  writeFileSync(slowFile, "import time\ntime.sleep(5)\n");
  const configFile = join(dir, "limits.json");
  writeFileSync(configFile, JSON.stringify({ limits: { timeout_ms: 300 } }));
  return Promise.all([
    arbor(["eval", okFile]),
    arbor(["eval", raisesFile]),
    arbor(["eval", "-"], { stdin: "import sys\nprint('from stdin', file=sys.stderr)\n'done'\n" }),
    arbor(["eval", slowFile], { env: { ARBOR_CONFIG: configFile } }),
  ]);
})();

describe("usage", () => {
  test("arbor --help lists the commands and exits 0", async () => {
    const run = await arbor(["--help"]);
    assert.equal(run.code, 0);
    for (const command of ["serve", "eval", "bench"]) assert.match(run.stdout, new RegExp(`\\b${command}\\b`));
  });

  test("each command has --help", async () => {
    const commands = ["serve", "eval", "bench"];
    const runs = await Promise.all(commands.map((command) => arbor([command, "--help"])));
    runs.forEach((run, i) => {
      assert.equal(run.code, 0, commands[i]);
      assert.match(run.stdout, new RegExp(`Usage: arbor ${commands[i]}`));
    });
  });

  test("no command and an unknown command exit 2", async () => {
    assert.equal((await arbor([])).code, 2);
    const run = await arbor(["frobnicate"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command 'frobnicate'/);
  });

  test("a config error exits 2 naming the bad key", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ port: "x" }));
    const run = await arbor(["serve"], { env: { ARBOR_CONFIG: file } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /config error: port:/);
  });
});

describe("arbor eval", () => {
  let ok: Run;
  let raises: Run;
  let fromStdin: Run;
  let limited: Run;
  before(async () => {
    [ok, raises, fromStdin, limited] = await evals;
  });

  test("limits come from the config (ARBOR_CONFIG), as for serve", () => {
    assert.equal(limited.code, 1, limited.stderr);
    assert.match(limited.stderr, /timeout_ms=300/);
  });

  test("a timeout above the config's max_timeout_ms is refused as for a request (exit 2, no executor)", async () => {
    const file = join(dir, "ok.py");
    const configFile = join(dir, "max-timeout.json");
    writeFileSync(configFile, JSON.stringify({ limits: { timeout_ms: 500, max_timeout_ms: 1000 } }));
    const run = await arbor(["eval", "--timeout-ms", "999999", file], { env: { ARBOR_CONFIG: configFile } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /timeout_ms: asked for 999999 ms, the maximum is 1000/);
  });

  test("a file that prints and ends with an expression: exit 0, stdout then the result", () => {
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, "hello\n42\n");
  });

  test("a file that raises: exit 1, the traceback on stderr", () => {
    assert.equal(raises.code, 1);
    assert.match(raises.stderr, /Traceback/);
    assert.match(raises.stderr, /ValueError: nope/);
    assert.equal(raises.stdout, "");
  });

  test("'-' reads the code from standard input", () => {
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, "'done'\n");
    assert.match(fromStdin.stderr, /from stdin/);
  });
});
