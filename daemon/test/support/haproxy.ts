// A throwaway HAProxy in front of N given HTTP backends on loopback, with a generated config:
// least-connections balancing, health checks on GET /readyz (a draining or booting daemon
// answers 503 and gets no new calls), and an admin socket to read each server's state.
// Restartable on the same port (restart tests).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requirePrograms } from "./binaries.ts";
import { accepts, Child, freePort, LOOPBACK, waitFor } from "./process.ts";

export interface Backend {
  host?: string;
  port: number;
}

export interface HaproxyOptions {
  /** Milliseconds between health checks of a server. Default 300. */
  checkIntervalMs?: number;
}

export interface ServerState {
  name: string;
  /** HAProxy's words: "UP", "DOWN", "UP 1/2", "DOWN 1/2", "MAINT", "no check". */
  status: string;
}

/** The config this helper runs (exported so a test can read what was generated). */
export function haproxyConfig(port: number, backends: readonly Backend[], socket: string, options: HaproxyOptions = {}): string {
  const inter = options.checkIntervalMs ?? 300;
  return [
    "global",
    `  stats socket ${socket} mode 600 level admin`,
    "  maxconn 4096",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    // A call may run for max_timeout_ms (60 s by default) plus queueing.
    "  timeout client 120s",
    "  timeout server 120s",
    // Retries only cover failed connections (nothing was sent), so a POST never runs twice.
    "  retries 2",
    "  option redispatch",
    "frontend arbor",
    `  bind ${LOOPBACK}:${port}`,
    "  default_backend daemons",
    "backend daemons",
    "  balance leastconn",
    "  option httpchk",
    "  http-check send meth GET uri /readyz",
    "  http-check expect status 200",
    `  default-server inter ${inter}ms fall 2 rise 1`,
    ...backends.map((b, i) => `  server d${i} ${b.host ?? LOOPBACK}:${b.port} check`),
    "",
  ].join("\n");
}

export class Haproxy {
  private child: Child | null = null;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly dir: string,
    private backends: Backend[],
    private readonly options: HaproxyOptions,
  ) {}

  static async start(backends: readonly Backend[], options: HaproxyOptions = {}): Promise<Haproxy> {
    const { haproxy: binary } = requirePrograms("haproxy");
    const dir = mkdtempSync(join(tmpdir(), "arbor-haproxy-"));
    const proxy = new Haproxy(binary, await freePort(), dir, [...backends], options);
    await proxy.launch();
    return proxy;
  }

  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get socket(): string {
    return join(this.dir, "admin.sock");
  }

  get configPath(): string {
    return join(this.dir, "haproxy.cfg");
  }

  get running(): boolean {
    return this.child?.running ?? false;
  }

  get log(): string {
    return this.child?.log ?? "";
  }

  private async launch(): Promise<void> {
    writeFileSync(this.configPath, haproxyConfig(this.port, this.backends, this.socket, this.options));
    // -db: stay in the foreground (the test owns the process); -f: our config only.
    const child = new Child(this.binary, ["-db", "-f", this.configPath], { cwd: this.dir });
    this.child = child;
    try {
      await waitFor(`haproxy on port ${this.port}`, async () => {
        if (!child.running) throw new Error(`haproxy exited: ${child.log}`);
        return accepts(this.port);
      });
    } catch (err) {
      await child.stop("SIGKILL");
      throw new Error(`${(err as Error).message}\n${child.log}`);
    }
  }

  /** Each server's health as HAProxy sees it, in backend order (d0, d1, ...). */
  async servers(): Promise<ServerState[]> {
    const csv = await adminCommand(this.socket, "show stat");
    const lines = csv.split("\n").filter((l) => l && !l.startsWith("#"));
    const header = csv.split("\n")[0]!.replace(/^# /, "").split(",");
    const col = (name: string) => header.indexOf(name);
    return lines
      .map((line) => line.split(","))
      .filter((f) => f[col("pxname")] === "daemons" && f[col("svname")] !== "BACKEND")
      .map((f) => ({ name: f[col("svname")]!, status: f[col("status")]! }));
  }

  /** Waits until every server's state starts with the wanted word ("UP" or "DOWN"), in order. */
  async waitForServers(want: ReadonlyArray<"UP" | "DOWN">, timeoutMs = 15_000): Promise<void> {
    await waitFor(`haproxy servers ${want.join(",")}`, async () => {
      const states = await this.servers();
      return states.length === want.length && states.every((s, i) => s.status.split(" ")[0] === want[i]);
    }, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.child?.stop("SIGTERM");
  }

  /** Stops and starts again on the same port, with new backends if given. */
  async restart(backends?: readonly Backend[]): Promise<void> {
    await this.stop();
    if (backends) this.backends = [...backends];
    await this.launch();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One command on HAProxy's admin socket; the whole reply. */
function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let data = "";
    conn.setTimeout(2_000, () => conn.destroy(new Error(`no reply to '${command}'`)));
    conn.once("connect", () => conn.write(`${command}\n`));
    conn.on("data", (chunk) => (data += chunk.toString("utf8")));
    conn.once("end", () => resolve(data));
    conn.once("error", reject);
  });
}
