// Reads sdks/contract/ and checks a response against a case's expectations (see its README).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CONTRACT_DIR } from "./daemon.ts";

export interface ContractStep {
  request: { method: "GET" | "POST" | "DELETE"; path: string; json?: unknown; raw?: string; auth?: "none" | "wrong" };
  expect: {
    status: number;
    error_code?: string;
    details?: unknown;
    body?: unknown;
    types?: Record<string, string>;
  };
  save?: Record<string, string>;
}

export interface ContractCase {
  name: string;
  steps: ContractStep[];
}

export interface ErrorCodeSpec {
  status: number;
  class: string;
  retryable: boolean;
}

export function loadCases(): { apiKey: string; cases: ContractCase[] } {
  const doc = JSON.parse(readFileSync(`${CONTRACT_DIR}cases.json`, "utf8")) as { api_key: string; cases: ContractCase[] };
  return { apiKey: doc.api_key, cases: doc.cases };
}

export function loadErrorCodes(): Record<string, ErrorCodeSpec> {
  return (JSON.parse(readFileSync(`${CONTRACT_DIR}error-codes.json`, "utf8")) as { codes: Record<string, ErrorCodeSpec> })
    .codes;
}

/** `{"$repeat": s, "times": n}` → s repeated n times, anywhere in a JSON value. */
export function expand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expand);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (typeof obj.$repeat === "string" && typeof obj.times === "number") return obj.$repeat.repeat(obj.times);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, expand(v)]));
  }
  return value;
}

/** Replaces `{var}` in strings with saved values; a var no step saved is an error, not left as text. */
export function substitute(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const saved = vars[name];
      if (saved === undefined) throw new Error(`{${name}} is used before a step saved it`);
      return saved;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  }
  return value;
}

export function at(body: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], body);
}

/** The value a step saves: a string or number at `path`; anything else fails the case. */
export function saved(body: unknown, path: string, where: string): string {
  const value = at(body, path);
  assert.ok(typeof value === "string" || typeof value === "number", `${where}: nothing to save at ${path} (got ${JSON.stringify(value)})`);
  return String(value);
}

/** Objects: the listed keys only, recursively; arrays: same length, each element matched. */
export function assertPartial(actual: unknown, expected: unknown, where = "body"): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: array length`);
    expected.forEach((e, i) => assertPartial(actual[i], e, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    assert.ok(actual !== null && typeof actual === "object", `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, e] of Object.entries(expected)) assertPartial((actual as Record<string, unknown>)[k], e, `${where}.${k}`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function assertTypes(body: unknown, types: Record<string, string>): void {
  for (const [path, wanted] of Object.entries(types)) {
    const actual = typeName(at(body, path));
    assert.ok(wanted.split("|").includes(actual), `${path}: expected ${wanted}, got ${actual}`);
  }
}
