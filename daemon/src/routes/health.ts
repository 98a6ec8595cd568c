// GET /healthz: 200 once the interpreters are ready (503 before), with what a operator wants to
// see at a glance: pool, restore strategy in use and why, queue depth.
import type { FastifyPluginAsync } from "fastify";
import type { Services } from "../services.ts";

export function healthRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get("/healthz", { schema: { summary: "Liveness and readiness" } }, async (_request, reply) => {
      const pool = services.pool.stats();
      const info = services.pool.info;
      const ready = pool.ready > 0 && !services.shuttingDown();
      reply.code(ready ? 200 : 503);
      return {
        status: ready ? "ok" : "starting",
        workers: { size: pool.size, ready: pool.ready, busy: pool.busy, booting: pool.booting },
        queue_depth: services.scheduler.depth,
        restore: info ? { strategy: info.strategy, reason: info.strategy_reason } : null,
        pyodide: info?.pyodide_version ?? null,
        hard_kills: pool.hardKills,
        crashes: pool.crashes,
      };
    });
  };
}
