// A bench run never overwrites an earlier run's results (bench/lib/result-path.ts).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { newestResults } from "../chart.ts";
import { resultBase } from "../lib/result-path.ts";

test("the first run of a day takes the plain name; later runs get -2, -3", () => {
  const dir = `${mkdtempSync(join(tmpdir(), "arbor-results-"))}/`;
  try {
    assert.equal(resultBase("2026-11-30", dir), `${dir}2026-11-30`);
    writeFileSync(`${dir}2026-11-30.json`, "{}");
    assert.equal(resultBase("2026-11-30", dir), `${dir}2026-11-30-2`);
    writeFileSync(`${dir}2026-11-30-2.json`, "{}");
    assert.equal(resultBase("2026-11-30", dir), `${dir}2026-11-30-3`);
    // Another name (a quick run, one section) is counted on its own.
    assert.equal(resultBase("2026-11-30-quick", dir), `${dir}2026-11-30-quick`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the chart's default input is the newest run: latest date, then that day's highest -N", () => {
  const dir = `${mkdtempSync(join(tmpdir(), "arbor-results-"))}/`;
  try {
    for (const f of ["2026-11-21.json", "2026-11-30.json", "2026-11-30-2.json", "2026-11-30-10.json", "2026-11-30-tools.json", "2026-11-30-quick.json", "2026-11-30-quick-2.json"]) {
      writeFileSync(`${dir}${f}`, "{}");
    }
    assert.equal(newestResults(dir), `${dir}2026-11-30-10.json`);
    assert.equal(newestResults(dir, true), `${dir}2026-11-30-quick-2.json`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
