// The /proc readers the bench and the spikes measure processes with.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cpuTicks } from "../lib/machine.ts";

test("cpuTicks counts a process's and a thread's CPU, and grows with work", () => {
  const before = cpuTicks(process.pid);
  const thread = cpuTicks(process.pid, process.pid); // the main thread's own stat
  assert.ok(Number.isInteger(before.user) && Number.isInteger(before.system));
  assert.ok(thread.user <= before.user + 1, "the main thread has used no more than the process");
  // Work until the count moves (bounded far above what that takes on an idle or loaded host).
  const total = (t: { user: number; system: number }) => t.user + t.system;
  const giveUp = Date.now() + 20_000;
  let x = 0;
  while (total(cpuTicks(process.pid)) < total(before) + 3 && Date.now() < giveUp) {
    for (let i = 0; i < 100_000; i++) x += Math.sqrt(i + x);
  }
  assert.ok(x > 0);
  const after = cpuTicks(process.pid);
  assert.ok(total(after) >= total(before) + 3, `${JSON.stringify(before)} → ${JSON.stringify(after)}: work did not show`);
});

test("cpuTicks of a process that does not exist is NaN, not a number that looks measured", () => {
  const none = cpuTicks(2 ** 22 + 12345);
  assert.ok(Number.isNaN(none.user) && Number.isNaN(none.system));
});
