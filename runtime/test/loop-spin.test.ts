// The daemon's poll for its executors' answers (host/loop-spin.ts, native/src/loop_spin.c), on a
// real event loop: each case runs in a child process of its own (the poll is one per process),
// which starts it, counts a job out or not, and waits for a real event: a worker thread's
// message (the libuv async handle Node's workers use) or a timer.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { LOOP_SPIN_ADDON, startLoopSpin } from "../src/host/loop-spin.ts";

const noAddon = existsSync(LOOP_SPIN_ADDON) ? false : `${LOOP_SPIN_ADDON} is not built (node runtime/native/build.mjs)`;

/** Runs `body` in a child with `addon` loaded; returns the JSON it prints last. */
function inChild(body: string): Record<string, number | boolean> {
  const script = `
const { Worker } = require("node:worker_threads");
const addon = require(${JSON.stringify(LOOP_SPIN_ADDON)});
const done = (extra = {}) => { process.stdout.write(JSON.stringify({ ...addon.stats(), ...extra }) + "\\n"); process.exit(0); };
// A thread that answers each number it is sent after that many milliseconds: an event on the
// loop's epoll fd. It is booted (and says so) before the case starts counting.
const worker = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.on('message', (ms) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); parentPort.postMessage('hi'); }); parentPort.postMessage('ready');", { eval: true });
const answerAfter = (ms, then) => { worker.once("message", () => then()); worker.postMessage(ms); };
const finish = (extra) => worker.terminate().then(() => done(extra));
worker.once("message", () => {
${body}
});
`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as Record<string, number | boolean>;
}

describe("the daemon's loop spin", { skip: noAddon }, () => {
  test("while a job is out, the loop polls and the answer ends the poll (no poll ran out)", () => {
    const s = inChild(`
addon.start(100000, 2);
addon.jobs(1);
answerAfter(20, () => { addon.jobs(-1); finish(); });`);
    assert.ok((s.hits as number) >= 1, JSON.stringify(s));
    assert.equal(s.misses, 0, JSON.stringify(s));
    assert.equal(s.jobs, 0);
  });

  test("with no job out, the loop blocks at once: no poll at all", () => {
    const s = inChild(`
addon.start(100000, 2);
answerAfter(20, () => finish());`);
    assert.equal(s.hits, 0, JSON.stringify(s));
    assert.equal(s.misses, 0, JSON.stringify(s));
  });

  test("with as many jobs out as CPUs, the daemon leaves the CPUs to the executors: no poll", () => {
    const s = inChild(`
addon.start(100000, 1);
addon.jobs(1);
answerAfter(20, () => finish());`);
    assert.equal(s.hits, 0, JSON.stringify(s));
    assert.equal(s.misses, 0, JSON.stringify(s));
  });

  test("a poll never runs past the loop's next timer", () => {
    const s = inChild(`
addon.start(100000, 2);
addon.jobs(1);
setTimeout(() => {
  const at = addon.stats();
  addon.jobs(-1);
  finish({ fired: true, limit: at.lastLimitMicros, ranOut: at.misses });
}, 5);`);
    assert.equal(s.fired, true);
    // The 100 ms budget was cut to the 5 ms timer (libuv's own poll timeout), and ran out there.
    assert.ok((s.limit as number) > 0 && (s.limit as number) <= 5000, JSON.stringify(s));
    assert.equal(s.ranOut, 1, JSON.stringify(s));
  });

  test("a poll that runs out halves the budget; an answer within the halved poll restores it", () => {
    const s = inChild(`
addon.start(40000, 2);
addon.jobs(1);
// 40 ms of poll run out before the 100 ms timer: the budget halves; the ~60 ms blocked after
// it were longer than the maximum, so it stays halved.
setTimeout(() => {
  const halved = addon.stats().budgetMicros;
  // Now an answer ~2 ms after the wait starts: within the halved poll, or a short block after it.
  answerAfter(2, () => {
    const at = addon.stats();
    addon.jobs(-1);
    finish({ halved, after: at.budgetMicros });
  });
}, 100);`);
    assert.equal(s.halved, 20000, JSON.stringify(s));
    assert.equal(s.after, 40000, JSON.stringify(s));
  });

  test("an answer that comes after the halved poll ran out, but within the maximum, restores the budget", () => {
    const s = inChild(`
addon.start(40000, 2);
addon.jobs(1);
setTimeout(() => {
  const halved = addon.stats().budgetMicros;
  // ~30 ms: the 20 ms poll runs out (the budget halves again), the loop blocks ~10 ms, and that
  // wait, shorter than the 40 ms maximum, turns the full budget back on.
  answerAfter(30, () => {
    const ranOut = addon.stats().misses;
    // No job out from here: no later poll can change the budget. The check after this wait
    // learns from it once this callback returns; read the budget it left after that.
    addon.jobs(-1);
    setTimeout(() => finish({ halved, ranOut, next: addon.stats().budgetMicros }), 5);
  });
}, 100);`);
    assert.equal(s.halved, 20000, JSON.stringify(s));
    assert.equal(s.ranOut, 2, JSON.stringify(s));
    assert.equal(s.next, 40000, JSON.stringify(s));
  });

  test("bad arguments are refused with a RangeError", () => {
    const s = inChild(`
const refused = [];
for (const args of [[-1, 2], [100001, 2], [10, 0], ["10", 2], [10]]) {
  try { addon.start(...args); refused.push(false); } catch (e) { refused.push(e instanceof RangeError); }
}
finish({ refused: refused.every(Boolean) && refused.length === 5 });`);
    assert.equal(s.refused, true);
  });

  test("startLoopSpin validates the maximum and reports off for 0", () => {
    assert.throws(() => startLoopSpin(-1), RangeError);
    assert.throws(() => startLoopSpin(100_001), RangeError);
    assert.throws(() => startLoopSpin(1.5), RangeError);
    assert.equal(startLoopSpin(0).enabledMicros, 0);
  });
});
