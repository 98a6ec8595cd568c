// Turns schema issues into one-line messages that name the key path, what was expected, what
// was given, and where it came from.
import type { z } from "zod";
import { formatPath, type Path } from "./merge.ts";

export interface ConfigIssue {
  path: Path;
  message: string;
}

type ZodIssue = z.core.$ZodIssue & { input?: unknown };

// Per-parse error map: replaces zod's default wording where the schema gives none.
export function configErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${withArticle(String(issue.expected))}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "string" ? "must not be empty" : undefined;
    default:
      return undefined;
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

const SHOWS_INPUT = new Set(["invalid_type", "invalid_value", "too_small", "too_big", "invalid_format", "custom"]);

export function fromZodIssue(issue: ZodIssue): ConfigIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ path: [...issue.path, key] as Path, message: "unknown key" }));
  }
  const path = issue.path as Path;
  if (issue.code === "invalid_type" && issue.input === undefined) return [{ path, message: "is required" }];
  const showInput = SHOWS_INPUT.has(issue.code) && "input" in issue && !path.includes("api_key");
  return [{ path, message: showInput ? `${issue.message}, got ${describe(issue.input)}` : issue.message }];
}

export function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatIssue(issue: ConfigIssue, source: string | undefined): string {
  return `${formatPath(issue.path)}: ${issue.message}${source ? ` (${source})` : ""}`;
}
