// `arbor serve`: boot the executors (with a progress line), listen, and shut down gracefully on
// SIGTERM/SIGINT: stop accepting, let in-flight calls finish up to shutdown_timeout_ms, exit 0.
import { createArbor } from "../app.ts";
import type { ArborConfig } from "../config/index.ts";

export async function serve(config: ArborConfig): Promise<number> {
  const arbor = await createArbor({
    config,
    logger: { level: config.log.level },
    onBooted: (info, ready, total) => {
      process.stderr.write(`arbor: interpreters ready ${ready}/${total} (restore: ${info.strategy}, boot ${info.boot_ms} ms)\n`);
    },
  });
  process.stderr.write(`arbor: booting ${config.workers} interpreter(s)...\n`);
  await arbor.ready();
  const address = await arbor.app.listen({ host: config.host, port: config.port });
  process.stderr.write(`arbor: listening on ${address}\n`);

  return await new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`arbor: ${signal} received, finishing in-flight calls\n`);
      const force = setTimeout(() => {
        process.stderr.write("arbor: shutdown deadline passed, exiting\n");
        resolve(0);
      }, config.shutdown_timeout_ms);
      force.unref();
      arbor.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
