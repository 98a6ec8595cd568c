// Answers carry no host detail: where the project, Node or Pyodide live on the host is not the
// sandbox's business (and helps an attacker aim). Applied to every message the executor itself
// writes into an answer; Python's own tracebacks only name sandbox paths (/lib/python3.14/...).
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** The project checkout (runtime/ is two levels above this module, bundled or not). */
const PROJECT = dirname(fileURLToPath(new URL("../../", import.meta.url)));
const HOST_PREFIXES = [...new Set([PROJECT, dirname(dirname(process.execPath))])].filter((p) => p.length > 1).sort((a, b) => b.length - a.length);

export function scrubHostDetail(text: string): string {
  let out = text.replace(/\bfile:\/\/[^\s)'"]+/g, "<host>");
  for (const prefix of HOST_PREFIXES) out = out.split(prefix).join("<host>");
  return out;
}
