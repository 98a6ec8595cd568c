// The daemon's handle on the tool host process: bundle and launch it confined, send it the
// registry, frame calls to it, validate every reply (it runs untrusted WebAssembly), and start a
// new one if it dies. A call the host does not answer in its time (plus a grace) kills the host;
// the calls it was running end as errors and the next call gets a fresh host.
import type { ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { encodeFrame, FrameDecoder } from "../../../runtime/src/protocol/frames.ts";
import {
  bundleToolHost,
  spawnToolHost,
  toolHostLaunch,
  type ToolHostLaunch,
  type ToolHostPaths,
} from "../../../runtime/src/host/tool-host-launch.ts";
import { FromHost, type CallFs, type HostHttpRequest, type HostResult, type HostTool, type ToHost, type ToolHttpReply } from "./host/protocol.ts";
import type { RegisteredTool } from "./registry.ts";

const HOST_DIR = fileURLToPath(new URL("./host/", import.meta.url));
/** What the bundle is made of: this directory and the runtime modules it imports. */
const SOURCE_DIRS = [fileURLToPath(new URL("./", import.meta.url)), fileURLToPath(new URL("../../../runtime/src/", import.meta.url))];

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.(ts|mjs)$/.test(e.name)) out.push(join(dir, e.name));
    }
  };
  SOURCE_DIRS.forEach(walk);
  return out;
}

// One bundling per daemon process, shared by its tool hosts (they would race on the output).
let bundling: Promise<string> | null = null;
/** Past a call's own limit, how long the host may take to report it before it is killed. */
const HOST_GRACE_MS = 2_000;
const BOOT_TIMEOUT_MS = 30_000;

export interface ToolHostOptions {
  tools: RegisteredTool[];
  readRoots: string[];
  writeRoots: string[];
}

/** Checks and performs one outgoing request of a call (tools/http.ts); never rejects. */
export type HttpHandler = (request: HostHttpRequest) => Promise<ToolHttpReply>;

interface Pending {
  resolve: (r: HostResult) => void;
  timer: NodeJS.Timeout;
  onHttp: HttpHandler | undefined;
}

export class ToolHost {
  private child: ChildProcess | null = null;
  private pipe: Duplex | null = null;
  private starting: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  launch: ToolHostLaunch | null = null;
  /** What the running host reported about seccomp ("not requested" or the filter applied). */
  seccomp = "";
  restarts = 0;
  stderrTail = "";

  constructor(private readonly options: ToolHostOptions) {}

  get paths(): ToolHostPaths {
    return {
      entries: { main: `${HOST_DIR}main.ts`, worker: `${HOST_DIR}worker.ts` },
      tools: this.options.tools.map((t) => t.dir),
      readRoots: this.options.readRoots,
      writeRoots: this.options.writeRoots,
    };
  }

  /** Bundles (if needed) and starts the host; resolves when it is ready. */
  async start(): Promise<void> {
    this.starting ??= this.spawn().finally(() => (this.starting = null));
    return this.starting;
  }

  private async spawn(): Promise<void> {
    bundling ??= bundleToolHost(this.paths.entries, sourceFiles()).catch((e: unknown) => {
      bundling = null; // the next start tries again
      throw e;
    });
    this.launch = toolHostLaunch(await bundling, this.paths);
    const child = spawnToolHost(this.launch);
    this.child = child;
    this.pipe = child.stdio[3] as Duplex;
    const decoder = new FrameDecoder();
    child.stderr?.on("data", (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString("utf8")).slice(-8192)));
    this.pipe.on("error", () => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the tool host did not start within ${BOOT_TIMEOUT_MS} ms: ${this.stderrTail.trim().slice(-1000)}`));
      }, BOOT_TIMEOUT_MS);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        reject(new Error(`the tool host exited while starting (${signal ?? `code ${code}`}): ${this.stderrTail.trim().slice(-1000) || "no output"}`));
      });
      this.pipe!.on("data", (chunk: Buffer) => {
        let messages: unknown[];
        try {
          messages = decoder.push(chunk);
        } catch {
          return this.kill(child);
        }
        for (const raw of messages) {
          const parsed = FromHost.safeParse(raw);
          if (!parsed.success) return this.kill(child);
          const msg = parsed.data;
          if (msg.t === "ready") {
            clearTimeout(timer);
            this.seccomp = msg.seccomp;
            child.removeAllListeners("exit");
            child.once("exit", () => this.onExit(child));
            resolve();
          } else if (msg.t === "fatal") this.stderrTail += `\n${msg.message}`;
          else if (msg.t === "http") this.forwardHttp(child, msg);
          else this.settle(msg);
        }
      });
    });
    this.send({ t: "tools", tools: this.options.tools.map(hostTool) });
  }

  private send(m: ToHost): void {
    this.pipe?.write(encodeFrame(m));
  }

  private settle(result: HostResult): void {
    const p = this.pending.get(result.id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(result.id);
    p.resolve(result);
  }

  /** A request of a running call: its handler answers; a request of no running call is refused. */
  private forwardHttp(child: ChildProcess, msg: HostHttpRequest): void {
    const p = this.pending.get(msg.id);
    const refused: ToolHttpReply = { req: msg.req, ok: false, code: "HTTP-request-denied", message: "tools: the request belongs to no running call" };
    const reply = p?.onHttp ? p.onHttp(msg).catch((): ToolHttpReply => ({ ...refused, code: "internal-error", message: "internal error" })) : Promise.resolve(refused);
    void reply.then((r) => {
      // The call may have ended meanwhile (a timeout): then nobody waits for the answer.
      if (this.child === child && this.pending.get(msg.id) === p) this.send({ t: "http_reply", id: msg.id, ...r });
    });
  }

  private kill(child: ChildProcess): void {
    child.kill("SIGKILL");
  }

  private onExit(child: ChildProcess): void {
    if (this.child !== child) return;
    this.child = null;
    this.pipe = null;
    if (!this.closed) this.restarts++;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(lost(id, "crashed", "the tool host process died during the call; it has been restarted"));
    }
    this.pending.clear();
  }

  /** Runs one call. Always resolves: failures are outcomes. */
  async call(tool: RegisteredTool, args: unknown[], fs: CallFs | null, timeoutMs: number, signal?: AbortSignal, onHttp?: HttpHandler): Promise<HostResult> {
    if (this.closed) return lost(0, "crashed", "the tool host is shut down");
    if (!this.child) {
      try {
        await this.start();
      } catch (e) {
        return lost(0, "crashed", (e as Error).message);
      }
    }
    const id = this.nextId++;
    const child = this.child;
    return new Promise<HostResult>((resolve) => {
      const onAbort = () => this.send({ t: "cancel", id });
      const timer = setTimeout(() => {
        // The host did not report the call's end in time: it is stuck; start over.
        if (child) this.kill(child);
      }, timeoutMs + HOST_GRACE_MS);
      this.pending.set(id, {
        timer,
        onHttp,
        resolve: (r) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(r);
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.send({ t: "call", id, tool: tool.name, args, fs, timeout_ms: timeoutMs });
    });
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }
}

function hostTool(t: RegisteredTool): HostTool {
  return {
    name: t.name,
    dir: t.dir,
    module: t.module,
    exportPath: t.exportPath,
    fn: t.function,
    memory_mb: t.memory_mb,
    max_output_bytes: t.max_output_bytes,
    prewarm: !t.filesystem,
  };
}

function lost(id: number, outcome: HostResult["outcome"], message: string): HostResult {
  return { t: "result", id, outcome, message, stdout: "", stderr: "", truncated: false, instance_ms: 0, exec_ms: 0 };
}
