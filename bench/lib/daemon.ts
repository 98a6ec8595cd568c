// A real daemon for the HTTP and branching sections: `arbor serve` in its own process (what a
// user runs), or an already running one given with --url.
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const BIN = fileURLToPath(new URL("../../daemon/bin/arbor.mjs", import.meta.url));

export interface Daemon {
  url: string;
  /** null when the daemon was given with --url (its memory is then not measured). */
  pid: number | null;
  stop(): Promise<void>;
}

function writeConfig(port: number, config: Record<string, unknown>): string {
  const path = join(tmpdir(), `arbor-bench-${process.pid}-${port}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: 1 });
  try {
    const res = await pool.request({ path: u.pathname, method: "GET" });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  } finally {
    await pool.close();
  }
}

/** Waits until every worker is ready and no spare is booting (a booting spare eats a core). */
export async function waitIdle(url: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const h = await getJson(`${url}/healthz`);
      const w = h.body?.workers;
      if (h.status === 200 && w && w.ready >= w.size && w.booting === 0 && w.busy === 0) return;
    } catch (e) {
      if (!/ECONNREFUSED/.test(String((e as Error)?.message ?? e) + String((e as { code?: string }).code))) throw e;
    }
    if (Date.now() > end) throw new Error(`daemon at ${url} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** For experiments (spikes/): another checkout's daemon, config keys and environment variables. */
export interface DaemonOptions {
  /** The checkout whose daemon/bin/arbor.mjs runs (default: this one). */
  checkout?: string;
  /** Written to a temporary config file (e.g. { spares: 0 }); flags still set port and workers. */
  config?: Record<string, unknown>;
  /** Added to the daemon's environment, after every ARBOR_* variable of ours is removed. */
  env?: Record<string, string>;
  /** Node flags for the daemon's own process (e.g. --cpu-prof); its executors do not get them. */
  nodeArgs?: string[];
}

export async function startDaemon(workers: number, url?: string, options: DaemonOptions = {}): Promise<Daemon> {
  if (url) {
    await waitIdle(url);
    return { url, pid: null, stop: async () => {} };
  }
  const port = await freePort();
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ARBOR_"))), ...options.env };
  const bin = options.checkout ? join(options.checkout, "daemon/bin/arbor.mjs") : BIN;
  const configPath = options.config ? writeConfig(port, options.config) : null;
  const config = configPath ? ["--config", configPath] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), bin, "serve", ...config, "--host", "127.0.0.1", "--port", String(port), "--workers", String(workers), "--log-level", "warn"],
    { stdio: ["ignore", "ignore", "inherit"], env },
  );
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      if (configPath) rmSync(configPath, { force: true });
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitIdle(base),
      exited.then(() => {
        throw new Error("the daemon exited during startup");
      }),
    ]);
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
  return {
    url: base,
    pid: child.pid ?? null,
    stop: async () => {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}
