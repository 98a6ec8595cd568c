// `arbor serve`: boot the executors (with a progress line), listen, and shut down gracefully on
// SIGTERM/SIGINT: stop accepting, let in-flight calls finish up to shutdown_timeout_ms, exit 0.
import { createArbor, type Arbor } from "../app.ts";
import type { ArborConfig } from "../config/index.ts";
import { bufferedLogStream, loggerOptions } from "../logging.ts";
import { securitySummary } from "../../../runtime/src/host/confine/report.ts";
import { requiredLayersInForce } from "./require-layers.ts";

export async function serve(config: ArborConfig): Promise<number> {
  // A layer the config requires but this setup cannot apply: refuse before booting anything.
  const security = requiredLayersInForce(config, "arbor");
  if (!security) return 2;
  const arbor = await createArbor({
    config,
    logger: { ...loggerOptions(config.log), stream: bufferedLogStream() },
    onBooted: (info, ready, total) => {
      // The first ready line names the restore strategy and why the better ones were passed over,
      // and the confinement layers that are not in force, with their reasons.
      const why = ready === 1 ? `; ${info.strategy_reason}; ${securitySummary(security)}` : "";
      process.stderr.write(`arbor: interpreters ready ${ready}/${total} (restore: ${info.strategy}${why}; boot ${info.boot_ms} ms)\n`);
    },
  });
  // A signal while booting still exits cleanly (the executors are killed, not left behind).
  const stopped = new Promise<number>((resolve) => {
    const stop = (signal: string) => shutDown(arbor, config.shutdown_timeout_ms, signal).then(resolve);
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  process.stderr.write(`arbor: booting ${config.workers} interpreter(s)...\n`);
  await arbor.ready();
  if (arbor.services.shuttingDown()) return await stopped;
  if (config.warm_up_branches > 0) {
    process.stderr.write(`arbor: warming up (${config.warm_up_branches} fork branches per interpreter)...\n`);
    try {
      // On a terminal, one line that counts the fork requests; logs get the two lines only.
      const tty = process.stderr.isTTY === true;
      const warm = await arbor.warmUp(tty ? (done, total) => process.stderr.write(`\rarbor: warm-up fork requests ${done}/${total}${done === total ? "\n" : ""}`) : undefined);
      process.stderr.write(`arbor: warmed up in ${warm.ms} ms (${warm.evals} evals, ${warm.branches} fork branches)\n`);
    } catch (err) {
      // A config whose limits the warm-up's programs do not fit in (a tiny timeout) still serves.
      process.stderr.write(`arbor: warm-up failed, serving without it: ${(err as Error).message}\n`);
    }
    if (arbor.services.shuttingDown()) return await stopped;
  }
  const address = await arbor.app.listen({ host: config.host, port: config.port });
  process.stderr.write(`arbor: listening on ${address}\n`);
  return await stopped;
}

async function shutDown(arbor: Arbor, timeoutMs: number, signal: string): Promise<number> {
  process.stderr.write(`arbor: ${signal} received, finishing in-flight calls\n`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), timeoutMs);
  });
  try {
    const closed = arbor.close();
    if ((await Promise.race([closed.then(() => "closed" as const), deadline])) === "deadline") {
      process.stderr.write("arbor: shutdown deadline passed, stopping the calls still running\n");
      await arbor.abort();
      // Give the calls just stopped a moment to be answered ('crashed', or 503 when queued)
      // before the last connections are cut.
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000).unref())]);
      arbor.app.server.closeAllConnections();
      await closed;
    }
    process.stderr.write("arbor: stopped\n");
    return 0;
  } catch (err) {
    process.stderr.write(`arbor: error while shutting down: ${String(err)}\n`);
    return 1;
  } finally {
    clearTimeout(timer);
    // Whatever might still hold the event loop (a stuck socket, a child) must not keep us up.
    setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
  }
}
