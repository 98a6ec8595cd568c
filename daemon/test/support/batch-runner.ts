// The runner the batch tests inject in place of the daemon's call path (round 2 plugs in the
// real one): it reads a tiny instruction from `code`, takes `jobMs`, and logs every start and
// end of a job to a file, so a test can tell how often each job ran and in which process.
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { errors } from "../../src/errors.ts";
import type { BatchRunner } from "../../src/batches/types.ts";
import type { EvalResponse } from "../../src/wire/eval.ts";

/**
 * Instructions: "busy:N" fails with `overloaded` (retryable) on the first N attempts;
 * "deny" fails with `capability_denied`; "crash" throws a plain Error; anything else succeeds
 * with result = the code. stdout is the pid of the process that ran the job.
 */
export function testRunner(options: { jobMs: number; log?: string }): BatchRunner {
  const log = (line: string) => options.log && appendFileSync(options.log, `${line}\n`);
  return async (work, ctx) => {
    const tag = `${process.pid} ${ctx.batchId} ${ctx.index} ${ctx.attempt}`;
    log(`start ${tag}`);
    await sleep(options.jobMs);
    const code = work.request.code;
    const busy = /^busy:(\d+)$/.exec(code);
    if (busy && ctx.attempt <= Number(busy[1])) throw errors.overloaded(1, "busy");
    if (code === "deny") throw errors.capabilityDenied("no shell for you", { capability: "shell" });
    if (code === "crash") throw new Error("secret internals");
    log(`end ${tag}`);
    return response(`${process.pid}`, work.state_id ? `${work.state_id}:${code}` : code);
  };
}

function response(stdout: string, result: string): EvalResponse {
  return {
    id: "req_test",
    status: "ok",
    stdout,
    stderr: "",
    result,
    error: null,
    host_calls: [],
    timing: { queue_ms: 0, restore_ms: 0, restore_wait_ms: 0, exec_ms: 0, checkpoint_ms: 0, total_ms: 0 },
  };
}

export interface LogLine {
  event: "start" | "end";
  pid: number;
  batchId: string;
  index: number;
  attempt: number;
}

export function parseLog(text: string): LogLine[] {
  return text
    .split("\n")
    .filter((l) => /^(start|end) /.test(l))
    .map((l) => {
      const [event, pid, batchId, index, attempt] = l.split(" ");
      return { event: event as LogLine["event"], pid: Number(pid), batchId: batchId!, index: Number(index), attempt: Number(attempt) };
    });
}
