// The engines an executor can run (ARBOR_ENGINE, default pyodide). A new engine is a folder
// beside pyodide/ implementing engine.ts, and one line here.
import type { Engine } from "./engine.ts";
import { PyodideEngine } from "./pyodide/pyodide-engine.ts";

export interface EngineFactory {
  /** Boots one engine, from its memory snapshot when given one. */
  create(options: { snapshot?: Uint8Array }): Promise<Engine>;
  /** The snapshot every executor of this engine boots from. */
  makeSnapshot(): Promise<Uint8Array>;
}

export const ENGINES: Record<string, EngineFactory> = {
  pyodide: { create: (o) => PyodideEngine.create(o), makeSnapshot: () => PyodideEngine.makeSnapshot() },
};

export function engineFactory(name = process.env.ARBOR_ENGINE || "pyodide"): EngineFactory {
  const factory = ENGINES[name];
  if (!factory) throw new Error(`unknown engine '${name}' (known: ${Object.keys(ENGINES).join(", ")})`);
  return factory;
}
