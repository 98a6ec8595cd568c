// Assembles a running Arbor: config → executor pool → scheduler → call path → HTTP server.
import type { FastifyInstance } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";
import { authenticate, RateLimiter } from "./auth.ts";
import { Calls } from "./calls/calls.ts";
import { stateBackendFor } from "./calls/states/from-config.ts";
import { StateService } from "./calls/states/service.ts";
import { batchQueueFor } from "./batches/from-config.ts";
import { batchRunner } from "./batches/run-job.ts";
import { ToolService } from "./tools/service.ts";
import { configWarnings, type ArborConfig } from "./config/index.ts";
import { errors } from "./errors.ts";
import { UNAVAILABLE_RETRY_SECONDS } from "./http/admission.ts";
import { recordCall } from "./http/call-record.ts";
import { WarmUp, type WarmUpReport } from "./http/warm-up.ts";
import { Metrics } from "./metrics.ts";
import { Pool } from "./calls/pool.ts";
import { SnapshotStore, snapshotCacheDir } from "../../runtime/src/host/snapshot-store.ts";
import { startLoopSpin } from "../../runtime/src/host/loop-spin.ts";
import { Scheduler } from "./calls/scheduler.ts";
import { buildServer } from "./server.ts";
import type { Services } from "./services.ts";
import type { ExecutorInfo } from "../../runtime/src/protocol/messages.ts";

export interface ArborOptions {
  config: ArborConfig;
  /** pino options (e.g. loggerOptions(config.log)), or false (the default) for no logging. */
  logger?: false | (LoggerOptions & { stream?: DestinationStream });
  /** Force a restore strategy (tests, benchmarks). */
  strategy?: string;
  onBooted?: (info: ExecutorInfo, ready: number, total: number) => void;
}

export interface Arbor {
  app: FastifyInstance;
  services: Services;
  /** Boots the executors; resolves when they are ready. /v1/* answers 503 until then. */
  ready(): Promise<void>;
  /**
   * After ready(), before listening: `config.warm_up_branches` fork branches per worker through
   * the real routes, so the first clients' calls run on optimized code (http/warm-up.ts).
   */
  warmUp(progress?: (done: number, total: number) => void): Promise<WarmUpReport>;
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
    idleSpinMicros: config.idle_spin_us,
    onBooted: options.onBooted,
    log: (msg, extra) => app?.log.warn(extra ?? {}, msg),
  });
  const scheduler = new Scheduler(pool, config.queue.max_length);
  const loopSpin = startLoopSpin(config.loop_spin_us);
  // States are stamped with (and checked against) the snapshot image of this daemon's executors;
  // state calls are admitted only once they have booted.
  const image = () => {
    if (!pool.info) throw errors.unavailable(UNAVAILABLE_RETRY_SECONDS, "The interpreters are still booting; retry shortly.");
    return pool.info.image;
  };
  const onStoreError = (what: string) => (err: Error) => app?.log.warn({ err: err.message }, `${what}: ${err.message}`);
  const states = new StateService(stateBackendFor(config.states, { image, onError: onStoreError("state store") }), image, config.states.max_bytes);
  states.start();
  const batches = batchQueueFor(config, onStoreError("batch queue"));
  // Stored states, read at scrape time like the pool's gauges.
  const metrics = new Metrics({ states_count: () => states.stats().states, states_bytes: () => states.stats().bytes });
  const warmUp = new WarmUp(config);
  const services: Services = {
    config,
    pool,
    scheduler,
    metrics,
    rateLimiter: new RateLimiter(),
    calls: new Calls(scheduler, states, tools),
    states,
    batches,
    tools,
    warmUp,
    loopSpin,
    authenticate: (request) => authenticate(request.headers.authorization, config),
    accepting: () => booted && !shuttingDown,
    shuttingDown: () => shuttingDown,
    callFinished: (log, tenant, response, code) => {
      if (tenant !== warmUp.tenant) recordCall(metrics, config.log.log_code, log, tenant, response, code);
    },
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
      // Every daemon takes batch jobs (any tenant's) and runs them through its own call path.
      batches.startWorkers(batchRunner(services, server.log.child({ component: "batches" })), { concurrency: config.batches.concurrency ?? config.workers });
    },
    warmUp: async (progress) => {
      if (config.warm_up_branches === 0) return { branches: 0, evals: 0, ms: 0 };
      // Its requests are not the clients': no request log lines at info.
      const level = server.log.level;
      if (["trace", "debug", "info"].includes(level)) server.log.level = "warn";
      try {
        return await warmUp.run(server, config.workers, config.warm_up_branches, progress);
      } finally {
        // Our own code ran there: under tenant isolation those executors have served nobody.
        pool.disown(warmUp.tenant.name);
        server.log.level = level;
      }
    },
    close: async () => {
      shuttingDown = true;
      await server.close();
      // Running batch jobs finish (they need the executors); queued ones stay for other daemons.
      await batches.close();
      await pool.close();
      await tools.close();
      await states.close();
    },
    abort: async () => {
      shuttingDown = true;
      scheduler.abandonQueue(errors.unavailable(UNAVAILABLE_RETRY_SECONDS, "The daemon shut down before the call could start."));
      // Jobs still running are not recorded here; in redis mode they run again on another daemon.
      const stopped = batches.close({ force: true });
      await pool.close();
      await stopped;
      await tools.close();
      await states.close();
    },
  };
}
