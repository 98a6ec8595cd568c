// GET /metrics: the Prometheus text exposition of daemon/src/metrics.ts.
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { PoolMetrics } from "../http/pool-metrics.ts";
import { METRICS_CONTENT_TYPE } from "../metrics.ts";
import type { Services } from "../services.ts";

export function metricsRoutes(services: Services, poolMetrics: PoolMetrics): FastifyPluginAsync {
  return async (app) => {
    app.get(
      "/metrics",
      {
        schema: {
          summary: "Prometheus metrics (text exposition format 0.0.4)",
          response: {
            200: { description: "Prometheus text format", content: { "text/plain": { schema: z.string() } } },
          },
        },
      },
      async (_request, reply) => {
        poolMetrics.sync();
        reply.type(METRICS_CONTENT_TYPE);
        return services.metrics.render();
      },
    );
  };
}
