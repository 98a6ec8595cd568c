// The tool host process: runs registered WebAssembly tools for the daemon, outside the daemon's
// process and confined like an executor (runtime/src/host/tool-host-launch.ts). Calls arrive as
// frames on fd 3; each runs in a worker thread (worker.ts), at most ARBOR_TOOL_WORKERS at once.
// A call past its time ends by terminating its thread; a worker that dies (out of JS heap, a
// crash) is replaced. This process outlives all of them.
import { createReadStream, createWriteStream, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { encodeFrame, FrameDecoder } from "../../../../runtime/src/protocol/frames.ts";
import { applySeccompIfAsked } from "../../../../runtime/src/host/tool-host-launch.ts";
import { capMemories, pagesFor } from "../wasm-memory.ts";
import type { HostResult, HostTool, ToHost, ToolHttpReply, ToolHttpRequest, WorkerCall } from "./protocol.ts";

const MAX_WORKERS = Math.max(1, Number(process.env.ARBOR_TOOL_WORKERS) || 4);
/** JS heap of one worker (jco's bindings and the values they copy); past it the worker dies. */
const WORKER_HEAP_MB = 256;
const WORKER = new URL(import.meta.url.endsWith(".mjs") ? "./worker.mjs" : "./worker.ts", import.meta.url);

const input = createReadStream("", { fd: 3 });
const output = createWriteStream("", { fd: 3 });
const send = (m: unknown) => output.write(encodeFrame(m));

let tools: HostTool[] = [];
let modules: Record<string, Record<string, WebAssembly.Module>> = {};

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  call: { id: number; timer: NodeJS.Timeout } | null;
  /** Where the daemon's answers to the worker's HTTP requests go (http-channel.ts reads them). */
  http: { port: MessagePort; signal: Int32Array };
}

const idle: Slot[] = [];
const slots = new Set<Slot>();
const queue: { msg: Extract<ToHost, { t: "call" }> }[] = [];
const running = new Map<number, Slot>();

function compileAll(list: HostTool[]): void {
  modules = {};
  for (const tool of list) {
    const compiled: Record<string, WebAssembly.Module> = {};
    for (const file of readdirSync(tool.dir).filter((f) => f.endsWith(".wasm"))) {
      // Every memory the tool defines gets memory_mb as its maximum (docs/tools.md).
      compiled[file] = new WebAssembly.Module(capMemories(readFileSync(join(tool.dir, file)), pagesFor(tool.memory_mb)));
    }
    modules[tool.name] = compiled;
  }
}

function spawnSlot(): Slot {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, {
    workerData: { tools, modules, http: { port: port2, signal } },
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    // The tool's output is captured inside the worker; nothing reaches this process's streams.
    stdout: true,
    stderr: true,
    env: {},
  });
  worker.stdout.resume();
  worker.stderr.resume();
  let markReady: () => void = () => undefined;
  const slot: Slot = { worker, ready: new Promise((r) => (markReady = r)), call: null, http: { port: port1, signal: new Int32Array(signal) } };
  worker.on("message", (m: { ready?: boolean; http?: ToolHttpRequest & { req: number } } & Omit<HostResult, "t">) => {
    if (m.ready) return markReady();
    // An outgoing request of the running call: the daemon checks and performs it, never us.
    if (m.http) return void (slot.call && send({ t: "http", id: slot.call.id, ...m.http }));
    if (!slot.call || slot.call.id !== m.id) return;
    finish(slot, { t: "result", ...m });
  });
  worker.on("error", (e: Error & { code?: string }) => {
    const outOfMemory = e.code === "ERR_WORKER_OUT_OF_MEMORY";
    lose(slot, outOfMemory ? "memory_limit" : "crashed", outOfMemory ? "the tool's worker ran out of JavaScript heap" : `the tool's worker failed: ${e.message}`);
  });
  worker.on("exit", (code) => lose(slot, "crashed", `the tool's worker exited (code ${code})`));
  slots.add(slot);
  return slot;
}

/** The slot's call (if any) ends with this outcome, and the slot is gone. */
function lose(slot: Slot, outcome: HostResult["outcome"], message: string): void {
  if (!slots.has(slot)) return;
  slots.delete(slot);
  const i = idle.indexOf(slot);
  if (i >= 0) idle.splice(i, 1);
  if (slot.call) {
    const { id, timer } = slot.call;
    clearTimeout(timer);
    running.delete(id);
    slot.call = null;
    send({ t: "result", id, outcome, message, stdout: "", stderr: "", truncated: false, instance_ms: 0, exec_ms: 0 });
  }
  void slot.worker.terminate();
  slot.http.port.close();
  pump();
}

function finish(slot: Slot, result: HostResult): void {
  if (slot.call) {
    clearTimeout(slot.call.timer);
    running.delete(slot.call.id);
  }
  slot.call = null;
  send(result);
  idle.push(slot);
  pump();
}

function pump(): void {
  while (queue.length > 0) {
    let slot = idle.pop();
    if (!slot) {
      if (slots.size >= MAX_WORKERS) return;
      slot = spawnSlot();
    }
    const { msg } = queue.shift()!;
    start(slot, msg);
  }
}

function start(slot: Slot, msg: Extract<ToHost, { t: "call" }>): void {
  const timer = setTimeout(() => lose(slot, "timeout", `the tool ran past its time limit (${msg.timeout_ms} ms)`), msg.timeout_ms);
  slot.call = { id: msg.id, timer };
  running.set(msg.id, slot);
  const call: WorkerCall = { id: msg.id, tool: msg.tool, args: msg.args, fs: msg.fs };
  // The timer runs from here: a worker still starting up counts against the call, as it would in
  // any other busy moment of the host.
  void slot.ready.then(() => {
    if (slot.call?.id === msg.id) slot.worker.postMessage(call);
  });
}

function handle(msg: ToHost): void {
  switch (msg.t) {
    case "tools":
      tools = msg.tools;
      compileAll(tools);
      // One warm worker, so the first call does not pay for a thread and the bindings' import.
      if (tools.length > 0 && slots.size === 0) idle.push(spawnSlot());
      return;
    case "call":
      queue.push({ msg });
      pump();
      return;
    case "http_reply": {
      const { t: _t, id, ...reply } = msg;
      const slot = running.get(id);
      if (!slot) return; // the call ended meanwhile
      slot.http.port.postMessage(reply satisfies ToolHttpReply);
      Atomics.add(slot.http.signal, 0, 1);
      Atomics.notify(slot.http.signal, 0);
      return;
    }
    case "cancel": {
      const slot = running.get(msg.id);
      if (slot) lose(slot, "timeout", "the call was cancelled (its Python call ended)");
      else {
        const i = queue.findIndex((q) => q.msg.id === msg.id);
        if (i >= 0) queue.splice(i, 1);
      }
      return;
    }
  }
}

const decoder = new FrameDecoder();
input.on("data", (chunk) => {
  for (const m of decoder.push(chunk as Buffer)) handle(m as ToHost);
});
// The daemon went away: so do we.
input.on("end", () => process.exit(0));
input.on("error", () => process.exit(0));

let seccomp = "not requested";
try {
  seccomp = applySeccompIfAsked();
} catch (e) {
  send({ t: "fatal", message: (e as Error).message });
  process.exit(70);
}
send({ t: "ready", pid: process.pid, seccomp });
