// Each name and shape the SDK defines, checked against sdks/openapi.json (generated from the
// daemon): the closed sets in enums.ts, the fields every response converter carries, the
// request fields the options produce, the error envelope, and the routes in routes.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BATCH_STATUSES, CALL_STATUSES, CAPABILITIES, HOST_CALL_OUTCOMES, ROUTES, type Branch } from "../src/index.ts";
import { errorFromResponse } from "../src/errors.ts";
import { fromWireBatchView, fromWireEval, fromWireStateInfo, fromWireTools, toWireBatchSpec, toWireEval, toWireProgram } from "../src/wire.ts";
import { AWAITING, assertCarried, documentedRoutes, enumsOf, requestSchema, responseSchema, sampleOf, type Schema } from "./support/openapi.ts";

const sorted = (values: readonly unknown[]) => [...values].map(String).sort();

/** Every option the SDK has, set (the type makes a new option a compile error here until added). */
const ALL_OPTIONS: Required<Omit<Branch, "code">> = {
  timeoutMs: 1,
  memoryMb: 2,
  maxOutputBytes: 3,
  stdin: "in",
  files: [{ path: "a.txt", content: "a" }],
  returnFiles: true,
  capabilities: ["shell"],
  seed: 4,
  checkpoint: true,
};

/** The wire body's fields, recursively, equal the schema's properties (all of them, set). */
function assertFieldsMatch(body: unknown, schema: Schema, where: string): void {
  if (schema.type === "array") {
    assert.ok(Array.isArray(body) && body.length > 0, `${where}: a non-empty array`);
    body.forEach((b, i) => assertFieldsMatch(b, schema.items ?? {}, `${where}[${i}]`));
  } else if (schema.properties) {
    const obj = body as Record<string, unknown>;
    assert.deepEqual(Object.keys(obj).sort(), Object.keys(schema.properties).sort(), `${where}: fields`);
    for (const [k, prop] of Object.entries(schema.properties)) assertFieldsMatch(obj[k], prop, `${where}.${k}`);
  }
}

test("call_statuses_match_openapi", () => {
  for (const values of enumsOf("status", "host_calls")) assert.deepEqual(sorted(CALL_STATUSES), sorted(values));
});

test("capabilities_match_openapi", () => {
  for (const values of enumsOf("capabilities", "code")) assert.deepEqual(sorted(CAPABILITIES), sorted(values));
});

test("host_call_outcomes_match_openapi", () => {
  for (const values of enumsOf("outcome", "args_summary")) assert.deepEqual(sorted(HOST_CALL_OUTCOMES), sorted(values));
});

test("host_call_fields_match_openapi", () => {
  const record = responseSchema("POST", "/v1/eval", "200").properties?.host_calls?.items;
  assert.ok(record);
  const wire = sampleOf(record);
  const [call] = fromWireEval({ ...(sampleOf(responseSchema("POST", "/v1/eval", "200")) as object), host_calls: [wire] }).hostCalls;
  assertCarried(wire, call, "hostCall");
});

test("eval_result_fields_match_openapi", () => {
  for (const [method, path, status] of [
    ["POST", "/v1/eval", "200"],
    ["POST", "/v1/states", "201"],
    ["POST", "/v1/states/{state_id}/eval", "200"],
  ] as const) {
    const wire = sampleOf(responseSchema(method, path, status)) as Record<string, unknown>;
    assertCarried(wire, fromWireEval(wire), `${path} result`, { extras: ["ok"] });
  }
  const fork = sampleOf(responseSchema("POST", "/v1/states/{state_id}/fork", "200")) as { results: unknown[] };
  assertCarried(fork.results[0], fromWireEval(fork.results[0]), "fork result", { extras: ["ok"] });
});

test("eval_options_match_openapi", () => {
  const { checkpoint: _checkpoint, ...evalOptions } = ALL_OPTIONS;
  assertFieldsMatch(toWireEval("1", evalOptions), requestSchema("POST", "/v1/eval"), "eval request");
  assertFieldsMatch(toWireEval("1", evalOptions), requestSchema("POST", "/v1/states"), "create state request");
  assertFieldsMatch(toWireEval("1", ALL_OPTIONS), requestSchema("POST", "/v1/states/{state_id}/eval"), "state eval request");
  const branches = requestSchema("POST", "/v1/states/{state_id}/fork").properties?.branches;
  assert.ok(branches);
  assertFieldsMatch([toWireProgram({ code: "1", ...ALL_OPTIONS })], branches, "fork branches");
});

test("state_info_fields_match_openapi", () => {
  const wire = sampleOf(responseSchema("GET", "/v1/states/{state_id}", "200")) as Record<string, unknown>;
  assertCarried(wire, fromWireStateInfo(wire, "unused"), "stateInfo", { renames: { state_id: "id" }, extras: ["raw"] });
});

test("tool_fields_match_openapi", () => {
  const wire = sampleOf(responseSchema("GET", "/v1/tools", "200")) as { tools: unknown[] };
  assertCarried(wire.tools, fromWireTools(wire), "tools");
});

test("error_envelope_fields_match_openapi", () => {
  for (const status of ["4XX", "5XX"]) {
    const envelope = sampleOf(responseSchema("POST", "/v1/eval", status)) as { error: Record<string, unknown> };
    const err = errorFromResponse(400, envelope);
    const carried = Object.fromEntries(Object.keys(envelope.error).map((k) => [k, (err as unknown as Record<string, unknown>)[k]]));
    assert.deepEqual(carried, envelope.error, `${status}: every documented field of the error reaches the ArborError`);
  }
});

test("sdk_routes_match_openapi", () => {
  const documented = new Set(documentedRoutes());
  const sdk = Object.values(ROUTES).map((r) => `${r.method} ${r.path}`);
  for (const route of sdk) {
    if (AWAITING.routes.includes(route)) {
      assert.ok(!documented.has(route), `${route} is documented now: remove it from sdks/contract/awaiting-daemon.json and check its shapes here`);
    } else {
      assert.ok(documented.has(route), `${route} (called by the SDK) is in sdks/openapi.json`);
    }
  }
  const unwrapped = [...documented].filter((r) => r.includes(" /v1/") && !sdk.includes(r));
  assert.deepEqual(unwrapped, [], "every /v1 route of the daemon has an SDK method");
});

test("batch_statuses_match_openapi", () => {
  for (const values of enumsOf("status", "batch_id")) assert.deepEqual(sorted(BATCH_STATUSES), sorted(values));
});

test("batch_request_fields_match_openapi", () => {
  const variants = (requestSchema("POST", "/v1/batches") as Schema & { anyOf?: Schema[] }).anyOf ?? [];
  const { checkpoint: _checkpoint, ...programOptions } = ALL_OPTIONS;
  const bodies = [toWireBatchSpec({ requests: [{ code: "1", ...programOptions }] }), toWireBatchSpec({ stateId: "st_1", branches: [{ code: "1", ...ALL_OPTIONS }] })];
  for (const body of bodies) {
    const keys = sorted(Object.keys(body)).join();
    const schema = variants.find((v) => sorted(Object.keys(v.properties ?? {})).join() === keys);
    assert.ok(schema, `the daemon accepts a batch of the form {${keys}}`);
    assertFieldsMatch(body, schema, "batch");
  }
});

test("batch_view_fields_match_openapi", () => {
  for (const [method, path, status] of [
    ["POST", "/v1/batches", "202"],
    ["GET", "/v1/batches/{batch_id}", "200"],
    ["DELETE", "/v1/batches/{batch_id}", "200"],
  ] as const) {
    const schema = responseSchema(method, path, status);
    // The fields the SDK reads are the daemon's (the SDK leaves created_at out).
    for (const field of ["batch_id", "status", "total", "done", "results"]) assert.ok(schema.properties?.[field], `${method} ${path}: ${field}`);
    const forms = ((schema.properties!.results!.items as Schema & { anyOf?: Schema[] }).anyOf ?? []).map((f) => sorted(Object.keys(f.properties ?? {})).join());
    assert.deepEqual(sorted(forms), ["error,index", "index,response"], `${method} ${path}: a result is a response or an error`);
  }
  const view = responseSchema("GET", "/v1/batches/{batch_id}", "200");
  const wire = {
    ...(sampleOf(view) as { batch_id: string }),
    total: 2,
    done: 2,
    results: [
      { index: 1, error: { code: "capability_denied", message: "no" } },
      { index: 0, response: sampleOf(responseSchema("POST", "/v1/eval", "200")) },
    ],
  };
  const parsed = fromWireBatchView(wire, "unused");
  assert.equal(parsed.id, wire.batch_id);
  assert.deepEqual(parsed.results.map((r) => [r.index, r.response === null, r.error?.code ?? null]), [[0, false, null], [1, true, "capability_denied"]]);
});
