// Wire shapes of the operational endpoints (/healthz, /readyz), for validation and OpenAPI.
import { z } from "zod";

export const healthResponse = z.object({
  status: z.enum(["ok", "starting", "shutting_down"]),
  workers: z.object({ size: z.int(), ready: z.int(), busy: z.int(), booting: z.int() }),
  queue_depth: z.int(),
  restore: z.object({ strategy: z.string(), reason: z.string() }).nullable().describe("Restore strategy in use and why."),
  call_guard: z
    .object({ name: z.enum(["native", "vm"]), reason: z.string() })
    .nullable()
    .describe("How a call's wall-time limit is enforced in the executors: a native deadline thread, or node:vm's timeout (fallback)."),
  pyodide: z.string().nullable(),
  engine: z.object({ name: z.string(), version: z.string() }).nullable().describe("The interpreter engine the executors run."),
  boot: z
    .object({ mode: z.enum(["snapshot", "full"]), detail: z.string(), snapshot_ms: z.number().nullable() })
    .describe("How executors boot: from one shared Pyodide snapshot (fast, identical images) or by a full load."),
  isolation: z.enum(["tenant", "shared"]).describe("tenant: an executor process serves one tenant until it retires."),
  spares: z.int(),
  hard_kills: z.int(),
  crashes: z.int(),
  reassigned: z.int().describe("Idle executors retired so another tenant could have one (tenant isolation)."),
  loop_spin: z
    .object({
      max_us: z.int(),
      budget_us: z.int().describe("The poll the next wait starts with: it halves after a poll that ran out, down to 0, and returns to max_us after a short wait."),
      jobs_out: z.int().describe("Jobs on executors now; the poll runs only while fewer are out than the machine has CPUs."),
      hits: z.int().describe("Polls that ended on an event (a wake-up saved)."),
      misses: z.int().describe("Polls that ran out."),
      spun_ms: z.number().describe("Time spent in polls since start (each yields between polls to any runnable thread)."),
      reason: z.string(),
    })
    .describe("The daemon's poll for its executors' answers before its event loop sleeps (config loop_spin_us)."),
});

export const readyResponse = z.object({
  status: z.enum(["ready", "not_ready"]),
  workers: z.object({ size: z.int(), ready: z.int(), booting: z.int() }),
  shutting_down: z.boolean(),
});
