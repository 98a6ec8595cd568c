// A failed host call, carried as the Python exception the executor will raise.
// Thrown inside the bridge and turned into a reply by performHostCall; never crosses to callers.

import type { z } from "zod";
import type { HostErrorType as HostErrorTypes } from "./messages.ts";

/** The Python exception types a host call can raise (bridge/messages.ts; tools add TypeError, ToolError, ToolMemoryError). */
export type HostErrorType = z.output<typeof HostErrorTypes>;

export class HostCallError extends Error {
  readonly type: HostErrorType;
  constructor(type: HostErrorType, message: string) {
    super(message);
    this.name = "HostCallError";
    this.type = type;
  }
}

/** A policy refusal. The message names the capability and the rule: `shell: 'rm' is not in shell.allow`. */
export function denied(capability: string, message: string): HostCallError {
  return new HostCallError("PermissionError", `${capability}: ${message}`);
}

export function osError(capability: string, message: string): HostCallError {
  return new HostCallError("OSError", `${capability}: ${message}`);
}

export function timeoutError(capability: string, message: string): HostCallError {
  return new HostCallError("TimeoutError", `${capability}: ${message}`);
}

export function valueError(capability: string, message: string): HostCallError {
  return new HostCallError("ValueError", `${capability}: ${message}`);
}

/** Quote a hostile string for a message: JSON-escaped (no raw control characters) and capped. */
export function quote(s: string, max = 80): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return `'${JSON.stringify(cut).slice(1, -1).replace(/'/g, "\\'")}'`;
}
