// What one call may use: the request's asks checked against the tenant's effective limits.
import { errors } from "../errors.ts";
import type { EffectiveLimits } from "./tenants.ts";

export interface CallAsk {
  code: string;
  timeout_ms?: number | undefined;
  memory_mb?: number | undefined;
  max_output_bytes?: number | undefined;
}

export interface CallLimits {
  timeout_ms: number;
  memory_mb: number;
  max_output_bytes: number;
}

/**
 * Defaults fill what the request leaves out; asking above a maximum is refused rather than
 * silently clamped, so a client never gets less than it asked without knowing.
 * @throws ArborError("limit_exceeded") with details { field, requested, max }
 */
export function resolveCallLimits(ask: CallAsk, limits: Readonly<EffectiveLimits>): CallLimits {
  const codeBytes = Buffer.byteLength(ask.code, "utf8");
  if (codeBytes > limits.max_code_bytes) throw exceeded("code", codeBytes, limits.max_code_bytes, "bytes of code");
  const timeout = ask.timeout_ms ?? Math.min(limits.timeout_ms, limits.max_timeout_ms);
  if (timeout > limits.max_timeout_ms) throw exceeded("timeout_ms", timeout, limits.max_timeout_ms, "ms");
  const memory = ask.memory_mb ?? Math.min(limits.memory_mb, limits.max_memory_mb);
  if (memory > limits.max_memory_mb) throw exceeded("memory_mb", memory, limits.max_memory_mb, "MB");
  const output = ask.max_output_bytes ?? limits.max_output_bytes;
  if (output > limits.max_output_bytes) throw exceeded("max_output_bytes", output, limits.max_output_bytes, "bytes");
  return { timeout_ms: timeout, memory_mb: memory, max_output_bytes: output };
}

function exceeded(field: string, requested: number, max: number, unit: string) {
  return errors.limitExceeded(`${field}: asked for ${requested} ${unit}, the maximum is ${max}.`, {
    field,
    requested,
    max,
  });
}
