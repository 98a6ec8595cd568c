// The reference docs follow the code: every path, method and property of sdks/openapi.json
// appears in docs/api.md, and every key of the config schema (capability policy included) in
// docs/configuration.md. `npm run docs:check` runs just this file.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import type { z } from "zod";
import { configSchema } from "../src/config/schema.ts";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** Every property name a JSON schema (OpenAPI's subset) mentions, nested ones included. */
function properties(schema: any, out: Set<string>, depth = 0): void {
  if (!schema || typeof schema !== "object" || depth > 6) return;
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) {
    out.add(k);
    properties(v, out, depth + 1);
  }
  properties(schema.items, out, depth + 1);
  for (const key of ["anyOf", "oneOf", "allOf"]) for (const s of schema[key] ?? []) properties(s, out, depth + 1);
}

/** Dotted keys of a zod object schema, arrays as `[]`. */
function keys(schema: z.ZodType, prefix: string, out: string[]): void {
  let s: any = schema;
  while (s?.def && ["optional", "nullable", "default", "pipe", "transform", "prefault"].includes(s.def.type)) s = s.def.innerType ?? s.def.in;
  if (s?.def?.type === "object") {
    for (const [k, v] of Object.entries<any>(s.def.shape)) {
      const name = prefix ? `${prefix}.${k}` : k;
      out.push(name);
      keys(v, name, out);
    }
  } else if (s?.def?.type === "array") keys(s.def.element, `${prefix}[]`, out);
}

test("docs/api.md names every path, method and field of the OpenAPI document", () => {
  const api = readFileSync(root("docs/api.md"), "utf8");
  const doc = JSON.parse(readFileSync(root("sdks/openapi.json"), "utf8")) as { paths: Record<string, Record<string, any>> };
  assert.ok(Object.keys(doc.paths).length >= 8);
  const missing: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!api.includes(`${method.toUpperCase()} ${path}`)) missing.push(`${method.toUpperCase()} ${path}`);
      const props = new Set<string>();
      properties(op.requestBody?.content?.["application/json"]?.schema, props);
      for (const res of Object.values<any>(op.responses ?? {})) properties(res.content?.["application/json"]?.schema, props);
      for (const p of props) if (!api.includes(p)) missing.push(`field ${p} of ${method.toUpperCase()} ${path}`);
    }
  }
  assert.deepEqual(missing, []);
});

test("docs/configuration.md names every key of the config schema", () => {
  const conf = readFileSync(root("docs/configuration.md"), "utf8");
  const configKeys: string[] = [];
  keys(configSchema, "", configKeys);
  assert.ok(configKeys.length > 50, `${configKeys.length} keys`);
  const missing = configKeys.filter((k) => !conf.includes(`\`${k}\``) && !conf.includes(k.split(".").at(-1)!.replace("[]", "")));
  assert.deepEqual(missing, []);
});

test("every repository path the docs and the README name exists", () => {
  const pages = ["README.md", ...readdirSync(root("docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const named = /`((?:runtime|daemon|sdks|bench|spikes|docs)\/[A-Za-z0-9_./-]+?)`/g;
  const missing: string[] = [];
  let seen = 0;
  for (const page of pages) {
    for (const m of readFileSync(root(page), "utf8").matchAll(named)) {
      const path = m[1]!.replace(/[.,:]$/, "");
      // Files that exist only after a build or a run, and globs.
      if (/\*|\/build\/|\.arbor-cache|bench\/results\/\d/.test(path)) continue;
      seen++;
      if (!existsSync(root(path))) missing.push(`${page}: ${path}`);
    }
  }
  assert.ok(seen > 40, `${seen} paths checked`);
  assert.deepEqual(missing, []);
});
