// Reads sdks/openapi.json (generated from the daemon: the source of truth for the wire) and
// builds what the SDK checks need from it: schemas by route, every schema in the document,
// and a sample value with every documented property set to a distinct value.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CONTRACT_DIR } from "./daemon.ts";

export interface Schema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
}

type Operation = {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};

export const OPENAPI = JSON.parse(readFileSync(new URL("../../../openapi.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, Operation>>;
};

/** Routes and error codes the SDKs implement ahead of the daemon (sdks/contract/awaiting-daemon.json). */
export const AWAITING = JSON.parse(readFileSync(`${CONTRACT_DIR}awaiting-daemon.json`, "utf8")) as {
  routes: string[];
  error_codes: string[];
};

/** "GET /v1/tools" for every operation in the document. */
export function documentedRoutes(): string[] {
  return Object.entries(OPENAPI.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

function operation(method: string, path: string): Operation {
  const op = OPENAPI.paths[path]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${path} is in sdks/openapi.json`);
  return op;
}

export function requestSchema(method: string, path: string): Schema {
  const schema = operation(method, path).requestBody?.content["application/json"]?.schema;
  assert.ok(schema, `${method} ${path} has a JSON request body`);
  return schema;
}

export function responseSchema(method: string, path: string, status: string): Schema {
  const schema = operation(method, path).responses[status]?.content?.["application/json"]?.schema;
  assert.ok(schema, `${method} ${path} answers ${status} with JSON`);
  return schema;
}

/** Every schema object in the document, nested ones included. */
export function allSchemas(): Schema[] {
  const out: Schema[] = [];
  const walk = (node: unknown, isSchema: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, false));
    if (node === null || typeof node !== "object") return;
    if (isSchema) out.push(node as Schema);
    for (const [key, value] of Object.entries(node)) {
      if (key === "schema" || key === "items" || key === "additionalProperties") walk(value, true);
      else if (key === "properties") Object.values(value as Record<string, unknown>).forEach((p) => walk(p, true));
      else if (key !== "enum") walk(value, false);
    }
  };
  walk(OPENAPI, false);
  return out;
}

/** The enum of `property` in every object schema that has `marker` and `property` (at least one). */
export function enumsOf(property: string, marker: string): unknown[][] {
  const found = allSchemas()
    .filter((s) => s.properties?.[marker] && s.properties[property])
    .map((s) => {
      const p = s.properties![property]!;
      const values = p.enum ?? p.items?.enum;
      assert.ok(values, `${property} has an enum`);
      return values;
    });
  assert.ok(found.length > 0, `sdks/openapi.json has schemas with ${marker} and ${property}`);
  return found;
}

/**
 * A value of `schema` with every property set (optional ones too) and every leaf distinct, so a
 * dropped, swapped or renamed field shows. Enums take their last value (not a default like "ok");
 * `*_b64` strings are base64; maps get one entry.
 */
export function sampleOf(schema: Schema, name = "", counter = { n: 0 }): unknown {
  if (schema.enum) return schema.enum[schema.enum.length - 1];
  switch (schema.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {})) out[key] = sampleOf(prop, key, counter);
      if (typeof schema.additionalProperties === "object") out[`key${++counter.n}`] = sampleOf(schema.additionalProperties, name, counter);
      return out;
    }
    case "array":
      return [sampleOf(schema.items ?? {}, name, counter)];
    case "string":
      return name.endsWith("_b64") ? Buffer.from(`bytes ${++counter.n}`).toString("base64") : `${name} ${++counter.n}`;
    case "integer":
      return ++counter.n;
    case "number":
      return ++counter.n + 0.5;
    case "boolean":
      return true;
    default:
      return { any: ++counter.n };
  }
}

export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * `sdk` carries every field of `wire` under its SDK name (camelCase; `x_b64` becomes `x` as
 * bytes; `renames` at the top level), with the same value, recursively, and has no fields
 * besides those and `extras`.
 */
export function assertCarried(
  wire: unknown,
  sdk: unknown,
  where: string,
  top: { renames?: Record<string, string>; extras?: string[] } = {},
): void {
  if (Array.isArray(wire)) {
    assert.ok(Array.isArray(sdk), `${where}: an array`);
    assert.equal(sdk.length, wire.length, `${where}: length`);
    wire.forEach((w, i) => assertCarried(w, sdk[i], `${where}[${i}]`));
    return;
  }
  if (wire === null || typeof wire !== "object") {
    assert.deepEqual(sdk, wire, where);
    return;
  }
  assert.ok(sdk !== null && typeof sdk === "object", `${where}: an object`);
  const expected: string[] = [...(top.extras ?? [])];
  for (const [key, value] of Object.entries(wire)) {
    if (key.endsWith("_b64")) {
      const name = camel(key.slice(0, -4));
      expected.push(name);
      assert.deepEqual(Buffer.from((sdk as Record<string, Uint8Array>)[name] ?? []), Buffer.from(value as string, "base64"), `${where}.${name}`);
      continue;
    }
    const name = top.renames?.[key] ?? camel(key);
    expected.push(name);
    assertCarried(value, (sdk as Record<string, unknown>)[name], `${where}.${name}`);
  }
  assert.deepEqual(Object.keys(sdk).sort(), expected.sort(), `${where}: the SDK's fields are the documented ones`);
}
