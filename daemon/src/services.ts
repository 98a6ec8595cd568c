// What the routes need, in one object, so that server.ts wires and routes stay thin.
import type { FastifyRequest } from "fastify";
import type { Tenant } from "./auth.ts";
import type { Calls } from "./calls.ts";
import type { Pool } from "./pool.ts";
import type { Scheduler } from "./scheduler.ts";
import type { EvalResponse } from "./wire/eval.ts";

export interface CallMetrics {
  recordCall(tenant: string, response: EvalResponse): void;
}

export interface Services {
  pool: Pool;
  scheduler: Scheduler;
  calls: Calls;
  authenticate(request: FastifyRequest): Tenant;
  shuttingDown(): boolean;
  metrics?: CallMetrics;
}
