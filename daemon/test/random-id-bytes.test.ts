// The pool the daemon's ids are drawn from (daemon/src/util/random-id-bytes.ts): every draw fresh,
// across refills, and owned by its caller; ids built from it keep their shapes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newBatchId } from "../src/batches/batch.ts";
import { newStateId } from "../src/calls/states/backend.ts";
import { newRequestId } from "../src/logging.ts";
import { randomIdBytes } from "../src/util/random-id-bytes.ts";

test("draws are all different across refills of the 4 KiB pool, and a draw is the caller's own copy", () => {
  const seen = new Set<string>();
  const kept: Buffer[] = [];
  for (let i = 0; i < 2000; i++) {
    const bytes = randomIdBytes(12); // 24 KB: six refills
    seen.add(bytes.toString("hex"));
    if (i % 100 === 0) kept.push(bytes);
  }
  assert.equal(seen.size, 2000);
  const copies = kept.map((b) => Buffer.from(b));
  for (let i = 0; i < 1000; i++) randomIdBytes(12);
  kept.forEach((b, i) => assert.ok(b.equals(copies[i]!), "a later draw or refill changed bytes handed out before"));
  assert.equal(randomIdBytes(0).length, 0);
  assert.equal(randomIdBytes(4096).length, 4096);
  assert.throws(() => randomIdBytes(4097), RangeError);
  assert.throws(() => randomIdBytes(-1), RangeError);
});

test("state, batch and request ids keep their shapes and do not repeat", () => {
  const states = new Set(Array.from({ length: 1000 }, newStateId));
  const batches = new Set(Array.from({ length: 1000 }, newBatchId));
  const requests = new Set(Array.from({ length: 1000 }, newRequestId));
  assert.deepEqual([states.size, batches.size, requests.size], [1000, 1000, 1000]);
  for (const id of states) assert.match(id, /^st_[A-Za-z0-9_-]{16}$/);
  for (const id of batches) assert.match(id, /^bt_[A-Za-z0-9_-]{16}$/);
  for (const id of requests) assert.match(id, /^req_[a-z2-7]{16}$/);
});
