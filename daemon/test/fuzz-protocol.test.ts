// Fuzzing the executor protocol from the daemon's side, where the executor is a hostile peer:
// arbitrary bytes and arbitrary JSON never get past the decoder and the schema as a message, a
// real executor that sends bytes that are not the protocol is killed and replaced by the pool,
// and arbitrary Python never takes a real executor down without an Outcome.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { ExecutorProcess } from "../../runtime/src/host/executor-process.ts";
import { parseFromExecutor } from "../../runtime/src/host/validate.ts";
import { encodeFrame, FrameDecoder } from "../../runtime/src/protocol/frames.ts";
import { Pool } from "../src/calls/pool.ts";

const STATUSES = ["ok", "error", "timeout", "memory_limit", "output_limit", "crashed"];

describe("executor protocol fuzzing", () => {
  test("the frame decoder returns frames or throws an Error, for any byte stream", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 16 }), (chunks) => {
        const decoder = new FrameDecoder(1024);
        for (const chunk of chunks) {
          try {
            assert.ok(Array.isArray(decoder.push(Buffer.from(chunk))));
          } catch (e) {
            assert.ok(e instanceof Error);
            return;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("valid frames split anywhere decode to the same messages", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 7 }), (values, step) => {
        const bytes = Buffer.concat(values.map((v) => encodeFrame(v)));
        const decoder = new FrameDecoder();
        const out: unknown[] = [];
        for (let i = 0; i < bytes.length; i += step) out.push(...decoder.push(bytes.subarray(i, i + step)));
        assert.deepEqual(out, values.map((v) => JSON.parse(JSON.stringify(v))));
      }),
      { numRuns: 500 },
    );
  });

  test("no JSON value passes the schema unless it is a well-formed message", () => {
    const message = fc.oneof(
      fc.jsonValue(),
      fc.record({ t: fc.constantFrom("ready", "result", "pong", "host_call", "fatal", "retire", "run"), id: fc.oneof(fc.integer(), fc.string(), fc.double()), outcome: fc.jsonValue(), info: fc.jsonValue() }, { requiredKeys: ["t"] }),
    );
    fc.assert(
      fc.property(message, (raw) => {
        let parsed;
        try {
          parsed = parseFromExecutor(raw);
        } catch (e) {
          assert.ok(e instanceof Error);
          return;
        }
        assert.ok(["ready", "result", "pong", "host_call", "fatal", "retire"].includes(parsed.t));
        if (parsed.t === "result") assert.ok(STATUSES.includes(parsed.outcome.status));
      }),
      { numRuns: 3000 },
    );
  });

  describe("with real executors", () => {
    let pool: Pool;
    before(async () => {
      pool = new Pool({ size: 1, spares: 1 });
      await pool.start();
    });
    after(() => pool.close());

    test("arbitrary Python always yields an Outcome with a known status", async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 200 }), async (code) => {
          const ex = await takeExecutor(pool);
          const o = await ex.run({ code, timeout_ms: 2000, memory_mb: 128, max_output_bytes: 4096 });
          pool.give(ex);
          assert.ok(STATUSES.includes(o.status), o.status);
        }),
        { numRuns: 60 },
      );
    });

    test("an executor that lies on the pipe is killed and replaced", async () => {
      const liar = await takeExecutor(pool);
      const pending = liar.run({ code: "import time\ntime.sleep(1)", timeout_ms: 3000, memory_mb: 128, max_output_bytes: 4096 });
      // What a compromised executor could write: a frame that is not the protocol.
      (liar as unknown as { onData(b: Buffer): void }).onData(encodeFrame({ t: "result", id: 999, outcome: { status: "ok" } }));
      const outcome = await pending;
      assert.equal(outcome.status, "crashed");
      assert.equal(liar.alive, false);
      const next = await takeExecutor(pool);
      assert.notEqual(next.pid, liar.pid);
      const o = await next.run({ code: "1 + 1", timeout_ms: 2000, memory_mb: 128, max_output_bytes: 4096 });
      assert.equal(o.result, "2");
      pool.give(next);
    });
  });
});

async function takeExecutor(pool: Pool): Promise<ExecutorProcess> {
  for (;;) {
    const ex = pool.take();
    if (ex) return ex;
    await new Promise((r) => pool.once("available", r));
  }
}
