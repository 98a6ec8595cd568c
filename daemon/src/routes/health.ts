// GET /healthz: 200 once some interpreter is ready (503 before and while shutting down), with what
// an operator wants to see at a glance. GET /readyz: 200 only when every executor is ready and the
// daemon is not shutting down, for load balancers that should route elsewhere meanwhile.
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { healthResponse as baseHealth, readyResponse } from "../http/health-schemas.ts";
import type { Services } from "../services.ts";
import { requiredLayers, securityReport } from "../../../runtime/src/host/confine/report.ts";
import { toolsHealth } from "../tools/wire.ts";
import { loopSpinStats } from "../../../runtime/src/host/loop-spin.ts";

const layer = z.object({ active: z.boolean(), detail: z.string() });
// Which confinement layers are in force around the executors, and why not (docs/security.md).
const healthResponse = baseHealth.extend({
  security: z.object({
    confined: z.boolean(),
    layers: z.record(z.string(), layer),
    inactive: z.array(z.string()),
    supported: z.array(z.string()).describe("OS layers this machine can provide (kernel, privileges, build, Node)."),
    required: z.array(z.string()).describe("OS layers the config's security.require demands; the daemon does not serve without them."),
  }),
  tools: toolsHealth,
});

export function healthRoutes(services: Services): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    // Never silently: every layer this machine cannot provide is logged once at startup.
    const report = securityReport();
    const required = requiredLayers(services.config.security.require, report);
    const security = { ...report, required };
    if (!security.confined) base.log.warn({ inactive: security.inactive }, "executor confinement incomplete");
    else base.log.info({ layers: Object.keys(security.layers) }, "executor confinement: every layer active");
    app.get(
      "/healthz",
      { schema: { summary: "Liveness: ok once interpreters are ready", response: { 200: healthResponse, 503: healthResponse } } },
      async (_request, reply) => {
        const pool = services.pool.stats();
        const info = services.pool.info;
        const shuttingDown = services.shuttingDown();
        // Liveness: booted and not draining. An executor being replaced (a spare swapping in, or
        // a reboot) does not make the daemon dead: calls wait in the queue meanwhile.
        const ok = services.accepting() && (pool.ready > 0 || pool.booting > 0);
        reply.code(ok ? 200 : 503);
        return {
          status: ok ? "ok" : shuttingDown ? "shutting_down" : "starting",
          workers: { size: pool.size, ready: pool.ready, busy: pool.busy, booting: pool.booting },
          queue_depth: services.scheduler.depth,
          restore: info ? { strategy: info.strategy, reason: info.strategy_reason } : null,
          call_guard: info ? { name: info.call_guard, reason: info.call_guard_reason } : null,
          pyodide: info?.engine.name === "pyodide" ? info.engine.version : null,
          engine: info?.engine ?? null,
          boot: services.pool.boot,
          isolation: services.pool.isolation,
          spares: pool.spares,
          hard_kills: pool.hardKills,
          crashes: pool.crashes,
          reassigned: pool.reassigned,
          loop_spin: loopSpinHealth(services),
          // The in-process layers as the executors reported them (not as the code intends).
          security: { ...securityReport(info?.lockdown ?? null), required },
          tools: services.tools.health(),
        } as const;
      },
    );
    app.get(
      "/readyz",
      { schema: { summary: "Readiness: every interpreter ready, not shutting down", response: { 200: readyResponse, 503: readyResponse } } },
      async (_request, reply) => {
        const pool = services.pool.stats();
        const shuttingDown = services.shuttingDown();
        // Spares booting in the background do not make the daemon less ready.
        const ready = services.accepting() && pool.ready >= pool.size;
        reply.code(ready ? 200 : 503);
        return {
          status: ready ? "ready" : "not_ready",
          workers: { size: pool.size, ready: pool.ready, booting: pool.booting },
          shutting_down: shuttingDown,
        } as const;
      },
    );
  };
}

function loopSpinHealth(services: Services) {
  const s = loopSpinStats();
  return {
    max_us: services.loopSpin.enabledMicros,
    budget_us: s && services.loopSpin.enabledMicros > 0 ? s.budgetMicros : 0,
    jobs_out: s?.jobs ?? 0,
    hits: s?.hits ?? 0,
    misses: s?.misses ?? 0,
    spun_ms: Math.round(s?.spunMicros ?? 0) / 1000,
    reason: services.loopSpin.reason,
  };
}
