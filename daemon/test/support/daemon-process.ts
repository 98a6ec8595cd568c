// A real Arbor daemon as a child process (`arbor serve --config FILE`), for cluster tests and the
// cluster bench: started on a port of its own (or a given one, to restart it in place), ready
// once GET /readyz answers 200, killable like a crashed machine (SIGKILL to its process group,
// executors included) or stopped cleanly (SIGTERM).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { Child, freePort, LOOPBACK, waitFor } from "./process.ts";

const BIN = fileURLToPath(new URL("../../bin/arbor.mjs", import.meta.url));

export class DaemonProcess {
  private constructor(
    private readonly child: Child,
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Starts a daemon with `config` (a config file's object; host and port are set here). */
  static async start(config: Record<string, unknown>, options: { port?: number; readyTimeoutMs?: number } = {}): Promise<DaemonProcess> {
    const port = options.port ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), "arbor-daemon-"));
    const file = join(dir, "arbor.json");
    writeFileSync(file, JSON.stringify({ ...config, host: LOOPBACK, port }));
    // Its own process group, so a kill takes its executors with it (as a machine dying would).
    const child = new Child(process.execPath, [BIN, "serve", "--config", file], { detached: true, env: { ...process.env, ARBOR_CONFIG: "" } });
    const daemon = new DaemonProcess(child, port, dir);
    try {
      await waitFor(`the daemon on port ${port} to be ready`, async () => {
        if (!child.running) throw new Error(`the daemon exited: ${child.log}`);
        const res = await request(`${daemon.url}/readyz`).catch(() => null);
        if (!res) return false;
        await res.body.dump();
        return res.statusCode === 200;
      }, options.readyTimeoutMs ?? 90_000, 100);
    } catch (err) {
      await daemon.kill();
      throw new Error(`${(err as Error).message}\n${child.log}`);
    }
    return daemon;
  }

  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.running;
  }

  /** The last few KiB of its log (JSON lines). */
  get log(): string {
    return this.child.log;
  }

  /** SIGKILL to the daemon and its executors at once: nothing is cleaned up or handed over. */
  async kill(): Promise<void> {
    // The group too when the daemon is gone already: executors it left behind go with it.
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      if (this.child.running) this.child.process.kill("SIGKILL");
    }
    await this.child.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A clean shutdown (SIGTERM: the daemon drains), then whatever is left of its group. */
  async stop(): Promise<void> {
    await this.child.stop("SIGTERM", 20_000);
    await this.kill();
  }
}
