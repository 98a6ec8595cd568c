// A throwaway redis-server for one test file: loopback only, a free port, its own temp dir, no
// persistence unless asked (then an append-only file fsynced on every write, so a restart or a
// SIGKILL keeps everything written). Restartable on the same port and dir (restart tests).
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requirePrograms } from "./binaries.ts";
import { Child, freePort, LOOPBACK, waitFor } from "./process.ts";

export interface RedisServerOptions {
  /** Keep data across restarts (append-only file, fsync always). Default false. */
  persistence?: boolean;
  /** e.g. "2mb"; with `maxmemoryPolicy`, how Redis enforces a memory budget. */
  maxmemory?: string;
  maxmemoryPolicy?: string;
  /** More `--name value` arguments for redis-server. */
  args?: string[];
}

export class RedisServer {
  private child: Child | null = null;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const { "redis-server": binary } = requirePrograms("redis-server");
    const dir = mkdtempSync(join(tmpdir(), "arbor-redis-"));
    const server = new RedisServer(binary, await freePort(), dir, options);
    await server.launch();
    return server;
  }

  get host(): string {
    return LOOPBACK;
  }

  get url(): string {
    return `redis://${LOOPBACK}:${this.port}`;
  }

  get running(): boolean {
    return this.child?.running ?? false;
  }

  get log(): string {
    return this.child?.log ?? "";
  }

  private args(): string[] {
    const o = this.options;
    const args = ["--port", String(this.port), "--bind", LOOPBACK, "--dir", this.dir, "--daemonize", "no", "--save", ""];
    args.push("--appendonly", o.persistence ? "yes" : "no");
    if (o.persistence) args.push("--appendfsync", "always");
    if (o.maxmemory) args.push("--maxmemory", o.maxmemory);
    if (o.maxmemoryPolicy) args.push("--maxmemory-policy", o.maxmemoryPolicy);
    return [...args, ...(o.args ?? [])];
  }

  private async launch(): Promise<void> {
    const child = new Child(this.binary, this.args(), { cwd: this.dir });
    this.child = child;
    try {
      await waitFor(`redis-server on port ${this.port}`, async () => {
        if (!child.running) throw new Error(`redis-server exited: ${child.log}`);
        return (await ping(this.port)) === "+PONG";
      });
    } catch (err) {
      await child.stop("SIGKILL");
      throw new Error(`${(err as Error).message}\n${child.log}`);
    }
  }

  /** A clean shutdown (SIGTERM: Redis flushes its append-only file). */
  async stop(): Promise<void> {
    await this.child?.stop("SIGTERM");
  }

  /** Dies at once, as a crashed or killed server would. */
  async kill(): Promise<void> {
    await this.child?.stop("SIGKILL");
  }

  /** Stops (if running) and starts again on the same port and dir. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops and removes the temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The server's first reply line to PING (e.g. "+PONG", "-LOADING ..."), over a raw socket. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: LOOPBACK });
    let data = "";
    socket.setTimeout(1_000, () => socket.destroy(new Error("no reply to PING")));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      data += chunk.toString("utf8");
      const end = data.indexOf("\r\n");
      if (end !== -1) {
        socket.destroy();
        resolve(data.slice(0, end));
      }
    });
    socket.once("error", reject);
  });
}
