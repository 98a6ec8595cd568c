// The executor answers first and restores after, so the restore overlaps the daemon's reply. A
// job that arrives while the restore still runs waits for it, and says so in its own timing field
// (timing.restore_wait_ms), apart from restore_ms (how long the last restore took).
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import { job } from "./helpers.ts";

describe("restore after the reply", () => {
  let ex: ExecutorProcess;
  before(async () => {
    ex = await ExecutorProcess.spawn();
  });
  after(() => ex.kill("killed_shutdown"));

  // Grows linear memory by 200 MiB and writes every page of it: the restore releases all of it.
  const heavy = "x = bytearray(200 * 2**20)\nfor i in range(0, len(x), 4096): x[i] = 1";

  test("a job sent while the last restore still runs reports that wait; one sent later waits for nothing", async (t) => {
    const first = await ex.run(job(heavy, { memory_mb: 512 }));
    assert.equal(first.status, "ok", JSON.stringify(first.error));
    const next = await ex.run(job("1 + 1")); // sent at once: the 200 MiB are still being released
    assert.equal(next.result, "2");
    t.diagnostic(`restore ${next.timing.restore_ms} ms, waited ${next.timing.restore_wait_ms} ms`);
    assert.ok(next.timing.restore_wait_ms! > 0, `waited ${next.timing.restore_wait_ms} ms for a restore of ${next.timing.restore_ms} ms`);
    assert.ok(next.timing.restore_wait_ms! <= next.timing.restore_ms, "the wait is part of the restore it waited for");
    await sleep(300);
    const later = await ex.run(job("2 + 2"));
    assert.equal(later.result, "4");
    assert.equal(later.timing.restore_wait_ms, 0);
  });
});
