// Where a bench run writes its results: bench/results/<name>, never over an earlier run's files.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The path without extension for this run's files: `<dir><name>`, or `<dir><name>-2`, `-3`, …
 * when an earlier run (the same day, the same options) already wrote `<name>.json`.
 */
export function resultBase(name: string, dir = fileURLToPath(new URL("../results/", import.meta.url))): string {
  mkdirSync(dir, { recursive: true });
  let base = `${dir}${name}`;
  for (let n = 2; existsSync(`${base}.json`); n++) base = `${dir}${name}-${n}`;
  return base;
}
