// Small helpers for tests that run real services: free loopback ports, waiting for a condition,
// and a child process whose exit can be awaited and whose output is kept for error messages.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer, connect } from "node:net";

export const LOOPBACK = "127.0.0.1";

/** A port nothing listens on right now (the OS picks it; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Resolves once `check` returns a value other than undefined/false; rejects after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** True when something accepts TCP connections on host:port. */
export function accepts(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A spawned program: its output is kept (the tail) so a failure can show why. */
export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output = "";
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.process = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString("utf8")).slice(-8000);
    };
    this.process.stdout?.on("data", keep);
    this.process.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.process.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      this.process.once("error", (err) => {
        this.output += `\nspawn error: ${err.message}`;
        this.exitInfo = { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  /** The last few KiB the program printed. */
  get log(): string {
    return this.output;
  }

  /** Sends `signal`, then SIGKILL if the program is still there after `graceMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.process.kill(signal);
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
