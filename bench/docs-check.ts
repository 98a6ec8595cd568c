// `node --import tsx bench/docs-check.ts`: fails when docs/api.md or docs/configuration.md drifted
// from the code: every path, method and property of sdks/openapi.json must appear in api.md, and
// every key of the config schema (daemon/src/config/, capability policy included) in
// configuration.md. Prints what is missing; exit 1 if anything is.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { configSchema } from "../daemon/src/config/schema.ts";

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const missing: string[] = [];

// 1. API reference against the OpenAPI document.
const api = readFileSync(root("docs/api.md"), "utf8");
const doc = JSON.parse(readFileSync(root("sdks/openapi.json"), "utf8")) as { paths: Record<string, Record<string, any>> };
function properties(schema: any, out: Set<string>, depth = 0): void {
  if (!schema || typeof schema !== "object" || depth > 6) return;
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) {
    out.add(k);
    properties(v, out, depth + 1);
  }
  properties(schema.items, out, depth + 1);
  for (const key of ["anyOf", "oneOf", "allOf"]) for (const s of schema[key] ?? []) properties(s, out, depth + 1);
}
for (const [path, methods] of Object.entries(doc.paths)) {
  const shown = path.replace(/\{(\w+)\}/g, "{$1}");
  for (const [method, op] of Object.entries(methods)) {
    if (!api.includes(`${method.toUpperCase()} ${shown}`)) missing.push(`api.md: ${method.toUpperCase()} ${shown}`);
    const props = new Set<string>();
    properties(op.requestBody?.content?.["application/json"]?.schema, props);
    for (const res of Object.values<any>(op.responses ?? {})) properties(res.content?.["application/json"]?.schema, props);
    for (const p of props) if (!api.includes(`\`${p}\``) && !api.includes(`${p}`)) missing.push(`api.md: field ${p} of ${method.toUpperCase()} ${path}`);
  }
}

// 2. Configuration reference against the config schema.
const conf = readFileSync(root("docs/configuration.md"), "utf8");
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
const configKeys: string[] = [];
keys(configSchema, "", configKeys);
for (const k of configKeys) {
  const leaf = k.split(".").at(-1)!.replace("[]", "");
  if (!conf.includes(`\`${k}\``) && !conf.includes(`${leaf}`)) missing.push(`configuration.md: ${k}`);
}

if (missing.length) {
  console.error(missing.join("\n"));
  process.exitCode = 1;
} else console.error(`docs/api.md covers ${Object.keys(doc.paths).length} paths; docs/configuration.md covers ${configKeys.length} config keys`);
