// Every case of sdks/contract/cases.json against a real daemon, through the SDK's `request`
// (so typed error mapping is exercised), plus the checks that keep the contract honest: the
// error-code file matches the daemon's registry, every code has its class here, and the test
// names here mirror the Python suite's.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { ERROR_CODES } from "../../../daemon/src/errors.ts";
import { renderErrorCodes } from "../../contract/generate-error-codes.ts";
import { ArborError, Client, ERROR_CLASSES, RETRYABLE_CODES, type RawResponse } from "../src/index.ts";
import * as sdk from "../src/index.ts";
import { assertPartial, assertTypes, expand, loadCases, loadErrorCodes, saved, substitute, type ContractCase } from "./support/contract-cases.ts";
import { CONTRACT_DIR, startDaemon, type TestDaemon } from "./support/daemon.ts";
import { AWAITING } from "./support/openapi.ts";

test("error_codes_json_matches_daemon_registry", () => {
  assert.equal(readFileSync(`${CONTRACT_DIR}error-codes.json`, "utf8"), renderErrorCodes());
  assert.deepEqual(Object.keys(loadErrorCodes()).sort(), Object.keys(ERROR_CODES).sort());
});

test("every_wire_error_code_maps_to_its_class", () => {
  const exported = sdk as unknown as Record<string, unknown>;
  for (const [code, spec] of Object.entries(loadErrorCodes())) {
    const ErrorClass = ERROR_CLASSES[code];
    assert.ok(ErrorClass, `wire code ${code} has no class in the TypeScript SDK`);
    assert.equal(ErrorClass.name, spec.class, `class for ${code}`);
    assert.equal(exported[spec.class], ErrorClass, `${spec.class} is exported from the package`);
    assert.ok(new ErrorClass("m", { code }) instanceof ArborError);
  }
});

test("every_sdk_error_class_is_a_wire_code", () => {
  const wire = loadErrorCodes();
  for (const code of Object.keys(ERROR_CLASSES)) {
    if (AWAITING.error_codes.includes(code)) {
      assert.ok(!(code in wire), `${code} is a daemon code now: remove it from sdks/contract/awaiting-daemon.json`);
    } else {
      assert.ok(code in wire, `${code} (mapped by the SDK) is in error-codes.json`);
    }
  }
});

test("retryable_codes_match_error_codes_json", () => {
  const wire = Object.entries(loadErrorCodes()).filter(([, spec]) => spec.retryable).map(([code]) => code);
  assert.deepEqual([...RETRYABLE_CODES].sort(), wire.sort());
});

test("names_mirror_across_sdks", () => {
  const pyDir = new URL("../../python/tests/", import.meta.url);
  const tsDir = new URL("./", import.meta.url);
  const py = new Set<string>();
  for (const file of readdirSync(pyDir).filter((f) => /^test_.*\.py$/.test(f))) {
    for (const m of readFileSync(new URL(file, pyDir), "utf8").matchAll(/^\s*def test_(\w+)\(/gm)) py.add(m[1]!);
  }
  const ts = new Set<string>();
  for (const file of readdirSync(tsDir).filter((f) => f.endsWith(".test.ts"))) {
    for (const m of readFileSync(new URL(file, tsDir), "utf8").matchAll(/\b(?:test|describe)\("(\w+)"/g)) ts.add(m[1]!);
  }
  assert.ok(ts.size > 10 && py.size > 10, "both suites are found");
  assert.deepEqual([...ts].filter((n) => !py.has(n)).sort(), [], "TypeScript tests without a Python twin");
  assert.deepEqual([...py].filter((n) => !ts.has(n)).sort(), [], "Python tests without a TypeScript twin");
});

describe("contract_case", () => {
  const { apiKey, cases } = loadCases();
  let daemon: TestDaemon;
  let clients: Record<"default" | "none" | "wrong", Client>;

  before(async () => {
    daemon = await startDaemon();
    const baseUrl = daemon.baseUrl;
    clients = {
      default: new Client({ baseUrl, apiKey, retries: 0 }),
      none: new Client({ baseUrl, retries: 0 }),
      wrong: new Client({ baseUrl, apiKey: "not-the-key", retries: 0 }),
    };
  });
  after(async () => {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    await daemon.close();
  });

  for (const c of cases) {
    test(c.name, () => runCase(c, clients));
  }
});

async function runCase(c: ContractCase, clients: Record<"default" | "none" | "wrong", Client>): Promise<void> {
  const errorCodes = loadErrorCodes();
  const vars: Record<string, string> = {};
  for (const [i, step] of c.steps.entries()) {
    const where = `${c.name} step ${i + 1}`;
    const client = clients[step.request.auth ?? "default"];
    const request = {
      method: step.request.method,
      path: substitute(step.request.path, vars) as string,
      json: step.request.json === undefined ? undefined : expand(step.request.json),
      raw: step.request.raw,
    };
    const expected = step.expect;
    let res: RawResponse | undefined;
    let error: unknown;
    try {
      res = await client.request(request);
    } catch (err) {
      error = err;
    }
    if (expected.error_code !== undefined) {
      assert.ok(error instanceof ArborError, `${where}: expected ${expected.error_code}, got ${res ? `HTTP ${res.status}` : String(error)}`);
      assert.equal(error.code, expected.error_code, `${where}: code`);
      assert.equal(error.status, expected.status, `${where}: status`);
      assert.equal(error.constructor.name, errorCodes[expected.error_code]?.class, `${where}: class`);
      assert.equal(typeof error.requestId, "string", `${where}: requestId`);
      if (expected.details !== undefined) assertPartial(error.details, expected.details, `${where} details`);
      continue;
    }
    if (error) throw error;
    assert.ok(res);
    assert.equal(res.status, expected.status, `${where}: status`);
    if (expected.body !== undefined) assertPartial(res.body, substitute(expected.body, vars), where);
    if (expected.types) assertTypes(res.body, expected.types);
    for (const [name, path] of Object.entries(step.save ?? {})) vars[name] = saved(res.body, path, where);
  }
}
