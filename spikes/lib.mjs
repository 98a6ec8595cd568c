// Shared helpers for the measurement ladder: timing percentiles and a Pyodide loader that keeps
// the wasm instance (memory + __stack_pointer) by wrapping WebAssembly.instantiate while loading.
import { loadPyodide } from "pyodide";

export const TRIVIAL = "print(2+2)";
export const SMALL_JSON = 'import json; json.loads(json.dumps({"a": [1, 2, 3], "b": {"c": "d"}, "n": 1.5}))';

export async function loadPyodideWithInstance() {
  const original = WebAssembly.instantiate;
  let instance;
  WebAssembly.instantiate = async (...args) => {
    const result = await original(...args);
    instance ??= result.instance ?? result;
    return result;
  };
  try {
    const pyodide = await loadPyodide({ stdout: () => {} });
    const { memory, __stack_pointer: stackPointer } = instance.exports;
    return { pyodide, memory, stackPointer };
  } finally {
    WebAssembly.instantiate = original;
  }
}

/** Post-init state every call restores to: after importing what calls commonly use. */
export async function bootWithBaseline() {
  const booted = await loadPyodideWithInstance();
  booted.pyodide.runPython("import json, re, collections");
  return { ...booted, baseline: new Uint8Array(booted.memory.buffer.slice(0)), baseStackPointer: booted.stackPointer.value };
}

export function percentiles(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p99: at(0.99), min: s[0], max: s[s.length - 1] };
}

export function report(label, samples, unit = "ms") {
  const p = percentiles(samples);
  const f = (x) => (unit === "ms" ? x.toFixed(3) : String(x));
  console.log(`${label.padEnd(34)} n=${String(p.n).padEnd(5)} p50=${f(p.p50)} p99=${f(p.p99)} min=${f(p.min)} max=${f(p.max)} ${unit}`);
}

export function sameAsBaseline(memory, baseline) {
  const buf = memory.buffer;
  return Buffer.from(buf, 0, baseline.length).equals(baseline) && new Uint8Array(buf, baseline.length).every((b) => b === 0);
}

export const now = () => performance.now();
export const iterations = (fallback) => Number(process.env.ITER ?? fallback);
