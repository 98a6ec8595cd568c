// The served OpenAPI document (generated from the zod schemas) must equal the committed copy in
// sdks/openapi.json, which the SDKs are built from. No interpreter is booted.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { createArbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

const COMMITTED = new URL("../../sdks/openapi.json", import.meta.url);
const REGENERATE = "node --import tsx daemon/src/commands/openapi.ts > sdks/openapi.json";

test("GET /openapi.json equals sdks/openapi.json", async () => {
  const arbor = await createArbor({ config: loadConfig({ argv: [], env: {} }) });
  try {
    const res = await arbor.app.inject({ method: "GET", url: "/openapi.json" });
    assert.equal(res.statusCode, 200);
    const committed = JSON.parse(readFileSync(COMMITTED, "utf8"));
    assert.deepEqual(res.json(), committed, `sdks/openapi.json is out of date with the routes' schemas; regenerate it with:\n  ${REGENERATE}`);
  } finally {
    await arbor.close();
  }
});

test("the document describes the public endpoints and the bearer scheme", async () => {
  const doc = JSON.parse(readFileSync(COMMITTED, "utf8"));
  for (const [path, method] of [["/v1/eval", "post"], ["/healthz", "get"], ["/readyz", "get"], ["/metrics", "get"]] as const) {
    assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
  }
  assert.equal(doc.components.securitySchemes.bearer.scheme, "bearer");
  assert.equal(doc.paths["/v1/eval"].post.requestBody.content["application/json"].schema.additionalProperties, false);
});
