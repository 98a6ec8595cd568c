// Graceful shutdown of a real `arbor serve` process: on SIGTERM it stops accepting connections,
// lets the call in flight finish with 200, and exits 0.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { request } from "undici";

const BIN = fileURLToPath(new URL("../bin/arbor.mjs", import.meta.url));
let child: ChildProcess | undefined;
after(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

/** Resolves with the first match of `pattern` in the child's stderr so far. */
function waitForStderr(proc: ChildProcess, stderr: () => string, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = stderr().match(pattern);
      if (match) {
        proc.stderr!.off("data", check);
        proc.off("exit", onExit);
        resolve(match);
      }
    };
    const onExit = () => reject(new Error(`arbor exited before printing ${pattern}:\n${stderr()}`));
    proc.stderr!.on("data", check);
    proc.once("exit", onExit);
    check();
  });
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

test("SIGTERM: new connections are refused, the in-flight call completes with 200, exit code 0", async () => {
  let stderr = "";
  child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--workers", "1"], {
    env: { ...process.env, ARBOR_LOG_LEVEL: "warn", ARBOR_CONFIG: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
  const [, base] = await waitForStderr(child, () => stderr, /listening on (http:\/\/\S+)/);
  const port = Number(new URL(base!).port);

  // A pure-Python loop that ends by itself after a few seconds.
  let callDone = false;
  const call = request(`${base}/v1/eval`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: "sum(range(3 * 10**7))", timeout_ms: 60_000 }),
  }).then(async (res) => {
    callDone = true;
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
  });
  for (let busy = 0; busy === 0; ) {
    const health = (await (await request(`${base}/healthz`)).body.json()) as Record<string, any>;
    busy = health.workers.busy;
  }

  child.kill("SIGTERM");
  await waitForStderr(child, () => stderr, /SIGTERM received/);
  let refused = false;
  for (let i = 0; i < 500 && !refused; i++) {
    refused = await connectionRefused(port);
    if (!refused) await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(refused, "new connections are refused once shutdown starts");
  assert.equal(callDone, false, "the call was still in flight when connections were refused");

  const res = await call;
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "ok");
  assert.equal(res.body.result, String((3 * 10 ** 7 * (3 * 10 ** 7 - 1)) / 2));
  assert.equal(await exited, 0);
  assert.doesNotMatch(stderr, /deadline passed/);
});

test("logs: request lines reach stdout while serving (batched writes are flushed) and at exit", async () => {
  let stderr = "";
  let stdout = "";
  child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--workers", "1"], {
    env: { ...process.env, ARBOR_LOG_LEVEL: "info", ARBOR_CONFIG: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
  const [, base] = await waitForStderr(child, () => stderr, /listening on (http:\/\/\S+)/);
  const completed = (id: string) =>
    stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, any>)
      .some((entry) => entry.reqId === id && entry.msg === "request completed");

  // Far less than the 4 KiB batch: only the periodic flush can bring this line out while serving.
  await (await request(`${base}/readyz`, { headers: { "x-request-id": "while-serving" } })).body.text();
  for (let waited = 0; !completed("while-serving"); waited += 50) {
    assert.ok(waited < 20_000, `no log line for the request while serving; stdout so far:\n${stdout}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // The last line before SIGTERM is written at exit at the latest.
  await (await request(`${base}/readyz`, { headers: { "x-request-id": "before-exit" } })).body.text();
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  assert.ok(completed("before-exit"), `the last request's line is missing after exit:\n${stdout}`);
});
