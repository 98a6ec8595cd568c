// What the routes need, in one object, so that server.ts wires and routes stay thin.
import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import type { RateLimiter, Tenant } from "./auth.ts";
import type { Calls } from "./calls/calls.ts";
import type { ArborConfig } from "./config/index.ts";
import type { Metrics } from "./metrics.ts";
import type { Pool } from "./calls/pool.ts";
import type { Scheduler } from "./calls/scheduler.ts";
import type { StateService } from "./calls/states/service.ts";
import type { BatchQueue } from "./batches/types.ts";
import type { ToolService } from "./tools/service.ts";
import type { EvalResponse } from "./wire/eval.ts";
import type { WarmUp } from "./http/warm-up.ts";
import type { LoopSpinStart } from "../../runtime/src/host/loop-spin.ts";

export interface Services {
  config: ArborConfig;
  pool: Pool;
  scheduler: Scheduler;
  metrics: Metrics;
  rateLimiter: RateLimiter;
  /** The call path (request → limits → scheduler → executor → response). */
  calls: Calls;
  /** Kept interpreter states (branching), in memory or in Redis (config states.store). */
  states: StateService;
  /** Durable batches (POST /v1/batches), on BullMQ in Redis or in this process. */
  batches: BatchQueue;
  /** Registered WebAssembly tools and their host process (docs/tools.md). */
  tools: ToolService;
  /** The startup warm-up (http/warm-up.ts): its internal tenant and the token that names it. */
  warmUp: WarmUp;
  /** The event loop's poll for executors' answers (config loop_spin_us), as it started. */
  loopSpin: LoopSpinStart;
  authenticate(request: FastifyRequest): Tenant;
  /** True once every executor has booted, until shutdown starts: /v1/* answers 503 otherwise. */
  accepting(): boolean;
  shuttingDown(): boolean;
  /** Records a finished call: metrics and one log line. */
  callFinished(log: FastifyBaseLogger, tenant: Tenant, response: EvalResponse, code: string): void;
}
