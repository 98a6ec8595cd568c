// One worker thread of the tool host: runs one tool call at a time, each on a fresh instance of
// the component (a tool without filesystem access gets one instantiated ahead, after the previous
// call). The main thread ends this thread when a call runs past its time; a trap or a failed
// memory.grow only ends the call.
import { parentPort, workerData } from "node:worker_threads";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fromJs, toJs } from "../values.ts";
import { OutputCapture } from "./capture.ts";
import type { CallOutcome, HostResult, HostTool, WorkerCall } from "./protocol.ts";
import { HttpChannel, type HttpChannelEnds } from "./http-channel.ts";
import { setHttpTransport } from "./wasi-http.ts";
import { setCallFs, ToolExit, wasiImports } from "./wasi-imports.ts";
import { pagesFor, WASM_PAGE_BYTES } from "../wasm-memory.ts";

type Instantiate = (
  getCoreModule: (path: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: (module: WebAssembly.Module, imports: WebAssembly.Imports) => WebAssembly.Instance,
) => Record<string, unknown>;

interface Instance {
  exports: Record<string, unknown>;
  memories: WebAssembly.Memory[];
}

interface Loaded {
  tool: HostTool;
  instantiate: Instantiate;
  spare: Instance | null;
}

/** A trap while memory is within this much of the cap is reported as the memory limit. */
const NEAR_CAP_BYTES = 1024 * 1024;
/** The largest value a call may return, as JSON (the bridge's data ceiling). */
const MAX_RESULT_CHARS = 16 * 1024 * 1024;

const { tools, modules, http } = workerData as {
  tools: HostTool[];
  /** Compiled (and memory-capped) core modules, per tool and file: compiled once by the main thread. */
  modules: Record<string, Record<string, WebAssembly.Module>>;
  http: HttpChannelEnds;
};
const capture = new OutputCapture();
const httpChannel = new HttpChannel(http.port, http.signal);
setHttpTransport(httpChannel);
const imports = wasiImports();
const loaded = new Map<string, Loaded>();

async function load(name: string): Promise<Loaded> {
  let l = loaded.get(name);
  if (l) return l;
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`unknown tool ${name}`);
  const mod = (await import(pathToFileURL(join(tool.dir, tool.module)).href)) as { instantiate: Instantiate };
  l = { tool, instantiate: mod.instantiate, spare: null };
  loaded.set(name, l);
  return l;
}

function create(l: Loaded): Instance {
  const memories: WebAssembly.Memory[] = [];
  const compiled = modules[l.tool.name] ?? {};
  const exports = l.instantiate(
    (path) => {
      const m = compiled[path];
      if (!m) throw new Error(`missing core module ${path}`);
      return m;
    },
    imports,
    (module, imp) => {
      const instance = new WebAssembly.Instance(module, imp);
      for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) memories.push(v);
      return instance;
    },
  );
  return { exports, memories };
}

function exported(instance: Instance, path: string[]): (...args: unknown[]) => unknown {
  let v: unknown = instance.exports;
  for (const key of path) v = (v as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== "function") throw new Error(`the instance has no export ${path.join(".")}`);
  return v as (...args: unknown[]) => unknown;
}

function isComponentError(e: unknown): e is { payload: unknown } {
  return typeof e === "object" && e !== null && Object.hasOwn(e, "payload") && (e as Error).constructor?.name === "ComponentError";
}

function nearCap(tool: HostTool, instance: Instance | null): boolean {
  const cap = pagesFor(tool.memory_mb) * WASM_PAGE_BYTES;
  return instance?.memories.some((m) => m.buffer.byteLength + NEAR_CAP_BYTES > cap) ?? false;
}

function message(e: unknown): string {
  const text = e instanceof Error ? `${e.name === "RuntimeError" ? "" : `${e.name}: `}${e.message}` : String(e);
  return text.slice(0, 2000);
}

async function run(call: WorkerCall): Promise<Omit<HostResult, "t">> {
  const started = performance.now();
  let instanceMs = 0;
  let instance: Instance | null = null;
  const done = (outcome: CallOutcome, extra: { value?: unknown; message?: string } = {}) => ({
    id: call.id,
    outcome,
    ...extra,
    ...capture.take(),
    instance_ms: instanceMs,
    exec_ms: Math.max(0, performance.now() - started - instanceMs),
  });
  const l = await load(call.tool);
  const { fn } = l.tool;
  capture.reset(l.tool.max_output_bytes);
  setCallFs(call.fs);
  httpChannel.reset();
  try {
    const t0 = performance.now();
    instance = l.spare ?? create(l);
    l.spare = null;
    instanceMs = performance.now() - t0;
  } catch (e) {
    return done(nearCap(l.tool, instance) ? "memory_limit" : "trap", { message: `instantiation failed: ${message(e)}` });
  }
  let args: unknown[];
  try {
    args = fn.params.map((p, i) => toJs(call.args[i], p.type));
  } catch (e) {
    return done("invalid", { message: message(e) });
  }
  let raw: unknown;
  try {
    raw = exported(instance, l.tool.exportPath)(...args);
  } catch (e) {
    if (isComponentError(e) && fn.result?.kind === "result") {
      try {
        const value = fn.result.err ? fromJs(e.payload, fn.result.err) : null;
        if (JSON.stringify(value).length > MAX_RESULT_CHARS) return done("trap", { message: "the tool's error value is too large" });
        return done("tool_error", { value });
      } catch (err) {
        return done("trap", { message: `the tool returned an error that does not fit its signature: ${message(err)}` });
      }
    }
    if (e instanceof ToolExit) return done("trap", { message: e.message });
    if (e instanceof RangeError && /memory|allocation/i.test(e.message)) return done("memory_limit", { message: message(e) });
    return done(nearCap(l.tool, instance) ? "memory_limit" : "trap", { message: message(e) });
  }
  try {
    // jco unwraps a top-level result: a return is the ok case (errors were thrown above).
    const t = fn.result;
    const value = t === null ? null : t.kind === "result" ? (t.ok ? fromJs(raw, t.ok) : null) : fromJs(raw, t);
    if (JSON.stringify(value).length > MAX_RESULT_CHARS) return done("trap", { message: `the tool's result is larger than ${MAX_RESULT_CHARS} characters of JSON` });
    return done("ok", { value });
  } catch (e) {
    return done("trap", { message: `the tool returned a value that does not fit its signature: ${message(e)}` });
  }
}

parentPort!.on("message", (call: WorkerCall) => {
  void run(call).then(
    (result) => {
      parentPort!.postMessage(result);
      const l = loaded.get(call.tool);
      // The next call of this tool starts on an instance made now, while the thread is idle.
      if (l && l.tool.prewarm && !l.spare) {
        setImmediate(() => {
          try {
            l.spare ??= create(l);
          } catch {
            // It will fail again, and be reported, when a call needs it.
          }
        });
      }
    },
    (e: unknown) => parentPort!.postMessage({ id: call.id, outcome: "crashed", message: message(e), ...capture.take(), instance_ms: 0, exec_ms: 0 }),
  );
});
parentPort!.postMessage({ ready: true });
