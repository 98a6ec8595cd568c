// Hostile host-call messages: validation never throws, replies are well-formed, the budget holds.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  HostCallBudget,
  HostCallRecord,
  HostCallReply,
  effectivePolicy,
  parseCapabilitiesConfig,
  performHostCall,
} from "../src/bridge/index.ts";

const config = parseCapabilitiesConfig({ shell: { allow: ["echo"] }, web_fetch: { allow: ["example.com"] } });
const ctx = () => ({ policy: effectivePolicy(config), deadline: Date.now() + 10_000 });

async function expectValueError(raw: unknown, pattern?: RegExp) {
  const { reply, record } = await performHostCall(raw, ctx());
  HostCallReply.parse(reply);
  HostCallRecord.parse(record);
  assert.equal(reply.ok, false, JSON.stringify(raw)?.slice(0, 100));
  if (reply.ok) return;
  assert.equal(reply.error.type, "ValueError");
  assert.match(reply.error.message, /^invalid host call: /);
  if (pattern) assert.match(reply.error.message, pattern);
  assert.equal(record.outcome, "error");
}

describe("host-call messages", () => {
  test("non-objects and unknown call names are ValueErrors, not exceptions", async () => {
    for (const raw of [null, undefined, 42, "shell", [], { name: "exec", args: {} }, { name: "shell" }, { args: {} }]) {
      await expectValueError(raw);
    }
  });

  test("unknown keys are rejected at every level", async () => {
    await expectValueError({ name: "shell", args: { argv: ["echo"] }, extra: 1 }, /Unrecognized key/);
    await expectValueError({ name: "shell", args: { argv: ["echo"], shell: true } }, /Unrecognized key/);
    await expectValueError({ name: "read_file", args: { path: "a", follow_symlinks: true } }, /Unrecognized key/);
  });

  test("argv must be a non-empty list of capped strings without NUL", async () => {
    await expectValueError({ name: "shell", args: { argv: [] } }, /argv is empty/);
    await expectValueError({ name: "shell", args: { argv: "echo hi" } });
    await expectValueError({ name: "shell", args: { argv: ["echo", 1] } });
    await expectValueError({ name: "shell", args: { argv: ["echo", "a\0b"] } }, /NUL/);
    await expectValueError({ name: "shell", args: { argv: ["echo", ...new Array(300).fill("x")] } });
    await expectValueError({ name: "shell", args: { argv: ["echo", "x".repeat(9000)] } });
    await expectValueError({ name: "shell", args: { argv: ["echo", ...new Array(20).fill("x".repeat(8000))] } }, /argv is too long/);
  });

  test("paths, URLs, methods and headers are capped and checked", async () => {
    await expectValueError({ name: "read_file", args: { path: "" } });
    await expectValueError({ name: "read_file", args: { path: "a".repeat(5000) } });
    await expectValueError({ name: "web_fetch", args: { url: `https://example.com/${"a".repeat(9000)}` } });
    await expectValueError({ name: "web_fetch", args: { url: "https://example.com/", method: "GET /x HTTP/1.1" } });
    await expectValueError({ name: "web_fetch", args: { url: "https://example.com/", headers: { "bad name": "x" } } });
    await expectValueError({ name: "web_fetch", args: { url: "https://example.com/", headers: { "x-a": "1\r\n2" } } });
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`x-${i}`, "v"]));
    await expectValueError({ name: "web_fetch", args: { url: "https://example.com/", headers: many } }, /too many headers/);
  });

  test("write data must be base64 within the wire cap", async () => {
    await expectValueError({ name: "write_file", args: { path: "a", data_b64: "***" } }, /base64/);
    await expectValueError({ name: "write_file", args: { path: "a", data_b64: "A".repeat(23_000_000) } }, /wire limit/);
  });

  test("the record of an invalid call keeps a short, escaped name", async () => {
    const { record } = await performHostCall({ name: `evil\n${"x".repeat(500)}`, args: {} }, ctx());
    assert.ok(record.name.length <= 40);
    assert.doesNotMatch(record.name, /\n/);
  });

  test("summaries are capped at 120 characters with control characters escaped", async () => {
    const { record } = await performHostCall({ name: "shell", args: { argv: ["echo", `a\nb${"y".repeat(300)}`] } }, ctx());
    assert.equal(record.outcome, "ok");
    assert.ok(record.args_summary.length <= 120);
    assert.doesNotMatch(record.args_summary, /\n/);
    assert.ok(record.args_summary.startsWith('["echo","a\\nb'));
  });

  test("a successful reply validates against the reply schema", async () => {
    const { reply, record } = await performHostCall({ name: "shell", args: { argv: ["echo", "ok"] } }, ctx());
    HostCallReply.parse(reply);
    HostCallRecord.parse(record);
    assert.deepEqual(reply, { ok: true, value: { exit_code: 0, stdout: "ok\n", stderr: "", truncated: false, timed_out: false } });
    assert.ok(record.duration_ms >= 0);
  });

  test("a call after the deadline is a TimeoutError", async () => {
    const { reply } = await performHostCall(
      { name: "shell", args: { argv: ["echo", "late"] } },
      { policy: effectivePolicy(config), deadline: Date.now() - 1 },
    );
    assert.deepEqual(reply, { ok: false, error: { type: "TimeoutError", message: "shell: no time left before the eval deadline" } });
  });
});

describe("host call budget", () => {
  test("an explicit budget caps calls, counting invalid ones too", async () => {
    const budget = new HostCallBudget(2);
    const c = { ...ctx(), budget };
    assert.equal((await performHostCall({ name: "nope" }, c)).reply.ok, false);
    assert.equal((await performHostCall({ name: "shell", args: { argv: ["echo"] } }, c)).reply.ok, true);
    const third = await performHostCall({ name: "shell", args: { argv: ["echo"] } }, c);
    assert.deepEqual(third.reply, {
      ok: false,
      error: { type: "PermissionError", message: "host: host call limit reached (capabilities.max_host_calls = 2)" },
    });
    assert.equal(third.record.outcome, "denied");
    assert.equal(budget.remaining, 0);
  });

  test("without an explicit budget, each effective policy gets max_host_calls", async () => {
    const limited = parseCapabilitiesConfig({ shell: { allow: ["echo"] }, max_host_calls: 1 });
    const policy = effectivePolicy(limited);
    const deadline = Date.now() + 10_000;
    assert.equal((await performHostCall({ name: "shell", args: { argv: ["echo"] } }, { policy, deadline })).reply.ok, true);
    assert.equal((await performHostCall({ name: "shell", args: { argv: ["echo"] } }, { policy, deadline })).reply.ok, false);
    // A new eval builds a new effective policy, and with it a fresh budget.
    const next = effectivePolicy(limited);
    assert.equal((await performHostCall({ name: "shell", args: { argv: ["echo"] } }, { policy: next, deadline })).reply.ok, true);
  });
});

describe("error messages from hostile input", () => {
  test("a huge hostile key is cut short in the ValueError message", async () => {
    const { reply } = await performHostCall(
      { name: "web_fetch", args: { url: "https://example.com/", headers: { ["x".repeat(100_000)]: "v" } } },
      ctx(),
    );
    assert.equal(reply.ok, false);
    if (reply.ok) return;
    assert.equal(reply.error.type, "ValueError");
    assert.ok(reply.error.message.length < 700, `message is ${reply.error.message.length} chars`);
  });
});
