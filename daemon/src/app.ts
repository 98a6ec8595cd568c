// Assembles a running Arbor: config → executor pool → scheduler → call path → HTTP server.
import type { FastifyInstance } from "fastify";
import { authenticate } from "./auth.ts";
import { Calls } from "./calls.ts";
import type { ArborConfig } from "./config/index.ts";
import { Pool } from "./pool.ts";
import { Scheduler } from "./scheduler.ts";
import { buildServer } from "./server.ts";
import type { Services } from "./services.ts";
import type { ExecutorInfo } from "../../runtime/src/protocol/messages.ts";

export interface ArborOptions {
  config: ArborConfig;
  logger?: boolean | object;
  /** Force a restore strategy (tests, benchmarks). */
  strategy?: string;
  onBooted?: (info: ExecutorInfo, ready: number, total: number) => void;
}

export interface Arbor {
  app: FastifyInstance;
  services: Services;
  /** Boots the executors; resolves when they are ready. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export async function createArbor(options: ArborOptions): Promise<Arbor> {
  const { config } = options;
  let shuttingDown = false;
  const pool = new Pool({
    size: config.workers,
    strategy: options.strategy,
    onBooted: options.onBooted,
  });
  const scheduler = new Scheduler(pool, config.queue.max_length);
  const services: Services = {
    pool,
    scheduler,
    calls: new Calls(scheduler),
    authenticate: (request) => authenticate(request.headers.authorization, config),
    shuttingDown: () => shuttingDown,
  };
  const app = await buildServer(services, { bodyLimit: config.max_body_bytes, logger: options.logger ?? false });
  return {
    app,
    services,
    ready: () => pool.start(),
    close: async () => {
      shuttingDown = true;
      await app.close();
      await pool.close();
    },
  };
}
