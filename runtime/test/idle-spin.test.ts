// The executor's poll for its next job (idle-spin.ts, native/src/await_input.c): the addon's
// awaitInput on a real socket pair, the budget's adaptation, and a real executor serving calls
// back to back and after pauses with the poll on.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import { IdleSpin } from "../src/executor/idle-spin.ts";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import { ADDON_PATH, loadNative } from "../src/restore/native.ts";
import { job } from "./helpers.ts";

const native = loadNative();
const noAddon = native.addon?.awaitInput ? false : `the restore addon with awaitInput is not built: ${native.reason ?? "awaitInput missing"}`;

// Runs in a child whose fd 3 is one end of a socket pair (the parent holds the other), like an
// executor's channel. Each step prints one JSON line; the parent drives it over the pair.
const CHILD = `
const { openSync, readSync, writeSync } = require("node:fs");
const addon = require(${JSON.stringify(ADDON_PATH)});
const say = (o) => writeSync(1, JSON.stringify(o) + "\\n");
// 1. Nothing sent: the poll runs out.
say({ step: "empty", ready: addon.awaitInput(3, 20000) });
// 2. Ask the parent for a byte; the poll sees it without consuming it.
writeSync(3, "?");
const ready = addon.awaitInput(3, 10000000);
const b = Buffer.alloc(8);
const n = readSync(3, b, 0, 8, null);
say({ step: "data", ready, read: b.toString("utf8", 0, n) });
// 3. The parent closes its end: EOF counts as input (the read then returns 0).
writeSync(3, "!");
say({ step: "eof", ready: addon.awaitInput(3, 10000000), read: readSync(3, b, 0, 8, null) });
// 4. Not a socket (here /dev/null): true at once, the read that follows reports what it is.
say({ step: "not a socket", ready: addon.awaitInput(openSync("/dev/null", "r"), 10000000) });
// 5. Bad arguments are refused with a RangeError, not a crash.
const refused = [];
for (const args of [[-1, 10], [3, -5], [3, 2 ** 40], ["3", 10], [3]]) {
  try { addon.awaitInput(...args); } catch (e) { refused.push(e instanceof RangeError); }
}
say({ step: "args", refused });
`;

describe("awaitInput (the addon)", { skip: noAddon }, () => {
  test("times out on silence, sees input without taking it, treats EOF and non-sockets as ready, refuses bad arguments", async () => {
    const child = spawn(process.execPath, ["-e", CHILD], { stdio: ["ignore", "pipe", "inherit", "pipe"] });
    const pair = child.stdio[3] as Socket;
    const lines: Array<Record<string, unknown>> = [];
    let buffered = "";
    child.stdout!.setEncoding("utf8").on("data", (s: string) => {
      buffered += s;
      for (let i; (i = buffered.indexOf("\n")) >= 0; buffered = buffered.slice(i + 1)) lines.push(JSON.parse(buffered.slice(0, i)));
    });
    pair.on("data", (d) => {
      if (d.toString() === "?") pair.write("job");
      else if (d.toString() === "!") pair.end();
    });
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
    assert.deepEqual(lines, [
      { step: "empty", ready: false },
      { step: "data", ready: true, read: "job" },
      { step: "eof", ready: true, read: 0 },
      { step: "not a socket", ready: true },
      { step: "args", refused: [true, true, true, true, true] },
    ]);
  });
});

describe("the idle spin's budget", () => {
  /** An IdleSpin over a recorded poller: which budgets it polled with, answering `answer`. */
  function recorded(max: number, answer = false) {
    const polls: number[] = [];
    const spin = new IdleSpin(max, (_fd, us) => {
      polls.push(us);
      return answer;
    });
    return { spin, polls };
  }

  test("short waits keep the full poll; long ones halve it down to none; one short wait restores it", () => {
    const { spin, polls } = recorded(1000);
    assert.equal(spin.currentMicros, 1000);
    spin.learn(400); // the job came within the poll
    assert.equal(spin.currentMicros, 1000);
    for (const expected of [500, 250, 125, 0, 0]) {
      spin.learn(50_000); // far apart: poll less, then not at all
      assert.equal(spin.currentMicros, expected);
    }
    assert.equal(spin.receive(3, () => "msg"), "msg");
    assert.deepEqual(polls, [], "a budget of 0 does not poll");
    spin.learn(900);
    assert.equal(spin.currentMicros, 1000);
    spin.receive(3, () => null);
    assert.deepEqual(polls, [1000]);
    assert.equal(spin.misses, 1);
  });

  test("a poll that finds the job counts as a hit; receive returns what the read returned", () => {
    const { spin, polls } = recorded(300, true);
    const got = spin.receive(7, () => ({ t: "run" }));
    assert.deepEqual(got, { t: "run" });
    assert.deepEqual(polls, [300]);
    assert.equal(spin.hits, 1);
  });

  test("off: a maximum of 0, or no addon, never polls and reports 0", () => {
    const { spin, polls } = recorded(0);
    spin.learn(10);
    assert.equal(spin.receive(3, () => 1), 1);
    assert.deepEqual(polls, []);
    assert.equal(spin.enabledMicros, 0);
    const without = new IdleSpin(1000, null);
    assert.equal(without.enabledMicros, 0);
    assert.equal(without.receive(3, () => 2), 2);
  });

  test("a negative or fractional maximum is refused", () => {
    assert.throws(() => new IdleSpin(-1, null), RangeError);
    assert.throws(() => new IdleSpin(1.5, null), RangeError);
  });

  test("from the environment: ARBOR_IDLE_SPIN_US, 0 when unset", () => {
    assert.equal(IdleSpin.fromEnv({}).enabledMicros, 0);
    assert.equal(IdleSpin.fromEnv({ ARBOR_IDLE_SPIN_US: "700" }).enabledMicros, noAddon ? 0 : 700);
  });
});

describe("an executor with the idle spin on", { skip: noAddon }, () => {
  test("reports its poll, and answers calls back to back and after pauses alike", async () => {
    const ex = await ExecutorProcess.spawn({ idleSpinMicros: 2_000 });
    try {
      assert.equal(ex.info.idle_spin_us, 2_000);
      // Back to back (each job arrives while the executor polls), then with pauses longer than
      // the poll (it has blocked in read() by then), then back to back again.
      for (const pause of [0, 0, 0, 0, 0, 30, 30, 30, 30, 30, 0, 0, 0]) {
        if (pause) await sleep(pause);
        const o = await ex.run(job("import random\nx = globals().get('leak', 0)\nleak = 1\nx + 41"));
        assert.equal(o.status, "ok", JSON.stringify(o.error));
        assert.equal(o.result, "41", "each call starts fresh");
      }
    } finally {
      ex.kill("killed_shutdown");
    }
  });

  test("without the option it does not poll", async () => {
    const ex = await ExecutorProcess.spawn();
    try {
      assert.equal(ex.info.idle_spin_us, 0);
    } finally {
      ex.kill("killed_shutdown");
    }
  });
});
