// Assembles a running Arbor: config → executor pool → scheduler → call path → HTTP server.
import type { FastifyInstance } from "fastify";
import type { LoggerOptions } from "pino";
import { authenticate, RateLimiter } from "./auth.ts";
import { Calls } from "./calls/calls.ts";
import { Placement } from "./calls/states/placement.ts";
import { StateStore } from "./calls/states/store.ts";
import { ToolService } from "./tools/service.ts";
import { configWarnings, type ArborConfig } from "./config/index.ts";
import { errors } from "./errors.ts";
import { UNAVAILABLE_RETRY_SECONDS } from "./http/admission.ts";
import { recordCall } from "./http/call-record.ts";
import { Metrics } from "./metrics.ts";
import { Pool } from "./calls/pool.ts";
import { SnapshotStore, snapshotCacheDir } from "../../runtime/src/host/snapshot-store.ts";
import { Scheduler } from "./calls/scheduler.ts";
import { buildServer } from "./server.ts";
import type { Services } from "./services.ts";
import type { ExecutorInfo } from "../../runtime/src/protocol/messages.ts";

export interface ArborOptions {
  config: ArborConfig;
  /** pino options (e.g. loggerOptions(config.log)), or false (the default) for no logging. */
  logger?: false | (LoggerOptions & { stream?: NodeJS.WritableStream });
  /** Force a restore strategy (tests, benchmarks). */
  strategy?: string;
  onBooted?: (info: ExecutorInfo, ready: number, total: number) => void;
}

export interface Arbor {
  app: FastifyInstance;
  services: Services;
  /** Boots the executors; resolves when they are ready. /v1/* answers 503 until then. */
  ready(): Promise<void>;
  /** Stops accepting, lets in-flight calls finish, then stops the executors. */
  close(): Promise<void>;
  /** Stops the executors now: calls still running end as `crashed` and are answered. */
  abort(): Promise<void>;
}

export async function createArbor(options: ArborOptions): Promise<Arbor> {
  const { config } = options;
  // Before anything starts: a tool whose digest, imports or signature is wrong refuses the start.
  const tools = await ToolService.create(config);
  let booted = false;
  let shuttingDown = false;
  let app: FastifyInstance | undefined;
  const pool = new Pool({
    size: config.workers,
    spares: config.spares,
    // Tenant isolation only means something with tenants: without them every call is one tenant's.
    isolation: config.tenants.length > 0 ? config.isolation : "shared",
    snapshots: new SnapshotStore(snapshotCacheDir()),
    strategy: options.strategy,
    onBooted: options.onBooted,
    log: (msg, extra) => app?.log.warn(extra ?? {}, msg),
  });
  const scheduler = new Scheduler(pool, config.queue.max_length);
  const states = new StateStore({ maxBytes: config.states.max_bytes, ttlMs: config.states.ttl_ms });
  states.startSweeping();
  // Stored states, read at scrape time like the pool's gauges.
  const metrics = new Metrics({ states_count: () => states.count, states_bytes: () => states.bytes });
  const services: Services = {
    config,
    pool,
    scheduler,
    metrics,
    rateLimiter: new RateLimiter(),
    calls: new Calls(scheduler, states, new Placement(states), tools),
    states,
    tools,
    authenticate: (request) => authenticate(request.headers.authorization, config),
    accepting: () => booted && !shuttingDown,
    shuttingDown: () => shuttingDown,
    callFinished: (log, tenant, response, code) => recordCall(metrics, config.log.log_code, log, tenant, response, code),
  };
  app = await buildServer(services, { bodyLimit: config.max_body_bytes, logger: options.logger ?? false });
  for (const warning of configWarnings(config)) app.log.warn(warning);
  const server = app;
  return {
    app: server,
    services,
    ready: async () => {
      await Promise.all([pool.start(), tools.start()]);
      booted = true;
    },
    close: async () => {
      shuttingDown = true;
      await server.close();
      await pool.close();
      await tools.close();
      states.stop();
    },
    abort: async () => {
      shuttingDown = true;
      scheduler.abandonQueue(errors.unavailable(UNAVAILABLE_RETRY_SECONDS, "The daemon shut down before the call could start."));
      await pool.close();
      await tools.close();
    },
  };
}
