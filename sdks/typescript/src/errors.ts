// The error tree: one class per wire error code (sdks/contract/error-codes.json, generated from
// the daemon's registry), ConnectionError for transport failures. Branch on `code`, or on the
// class with instanceof; unknown codes arrive as the base ArborError with the code kept.
import type { BatchProgress } from "./types.ts";

export interface ArborErrorInit {
  code: string;
  /** HTTP status; undefined when no response arrived (ConnectionError). */
  status?: number;
  details?: unknown;
  requestId?: string;
  /** From the Retry-After header (overloaded, rate_limited, unavailable). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class ArborError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly details: unknown;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, init: ArborErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.status = init.status;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export class InvalidRequestError extends ArborError {}
export class LimitExceededError extends ArborError {}
export class UnauthorizedError extends ArborError {}
export class CapabilityDeniedError extends ArborError {}
export class NotFoundError extends ArborError {}
export class StateNotFoundError extends ArborError {}
export class BatchNotFoundError extends ArborError {}
export class StateIncompatibleError extends ArborError {}
export class MethodNotAllowedError extends ArborError {}
export class NotAcceptableError extends ArborError {}
export class PayloadTooLargeError extends ArborError {}
export class UnsupportedMediaTypeError extends ArborError {}
export class OverloadedError extends ArborError {}
export class RateLimitedError extends ArborError {}
export class InternalError extends ArborError {}
export class UnavailableError extends ArborError {}

/** No usable HTTP response: refused, reset, DNS, or the client-side deadline (`timedOut`). */
export class ConnectionError extends ArborError {
  readonly timedOut: boolean;

  constructor(message: string, options: { timedOut?: boolean; cause?: unknown } = {}) {
    super(message, { code: "connection_error", cause: options.cause });
    this.timedOut = options.timedOut ?? false;
  }
}

/** Batch.wait or Batch.results gave up: the batch was not finished within `timeoutMs`. */
export class WaitTimeoutError extends ArborError {
  /** The batch's progress at the last poll. */
  readonly progress: BatchProgress;

  constructor(message: string, progress: BatchProgress) {
    super(message, { code: "wait_timeout" });
    this.progress = progress;
  }
}

export type ArborErrorClass = new (message: string, init: ArborErrorInit) => ArborError;

/**
 * Wire code → class. The contract tests fail when a code of the daemon is missing here, and when
 * one here is not a daemon code (unless listed in sdks/contract/awaiting-daemon.json).
 */
export const ERROR_CLASSES: Readonly<Record<string, ArborErrorClass>> = Object.freeze({
  invalid_request: InvalidRequestError,
  limit_exceeded: LimitExceededError,
  unauthorized: UnauthorizedError,
  capability_denied: CapabilityDeniedError,
  not_found: NotFoundError,
  state_not_found: StateNotFoundError,
  batch_not_found: BatchNotFoundError,
  state_incompatible: StateIncompatibleError,
  method_not_allowed: MethodNotAllowedError,
  not_acceptable: NotAcceptableError,
  payload_too_large: PayloadTooLargeError,
  unsupported_media_type: UnsupportedMediaTypeError,
  overloaded: OverloadedError,
  rate_limited: RateLimitedError,
  internal: InternalError,
  unavailable: UnavailableError,
});

/** Codes the client retries (when `retries` > 0), honouring Retry-After. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(["overloaded", "rate_limited"]);

/** The typed error for a non-2xx response. Bodies that are not the error envelope keep the status. */
export function errorFromResponse(
  status: number,
  body: unknown,
  meta: { requestId?: string; retryAfterSeconds?: number } = {},
): ArborError {
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  return errorFromEnvelope(envelope, `HTTP ${status} without an Arbor error body`, { ...meta, status });
}

/**
 * The typed error for the envelope's `error` object (`{ code, message, details }`), also used for
 * a batch job's error. Without a string `code` it is "unexpected_response" with `fallbackMessage`.
 */
export function errorFromEnvelope(
  envelope: Record<string, unknown> | undefined,
  fallbackMessage: string,
  meta: { status?: number; requestId?: string; retryAfterSeconds?: number } = {},
): ArborError {
  const code = typeof envelope?.code === "string" ? envelope.code : "unexpected_response";
  const message = typeof envelope?.message === "string" ? envelope.message : fallbackMessage;
  const ErrorClass = Object.hasOwn(ERROR_CLASSES, code) ? ERROR_CLASSES[code]! : ArborError;
  return new ErrorClass(message, {
    code,
    status: meta.status,
    details: envelope?.details,
    requestId: meta.requestId,
    retryAfterSeconds: meta.retryAfterSeconds,
  });
}

/** The daemon's answer does not have the documented shape (a client-side code). */
export function invalidResponse(what: string, requestId?: string, extra: { status?: number; cause?: unknown } = {}): ArborError {
  return new ArborError(`The daemon sent ${what}.`, { code: "invalid_response", requestId, ...extra });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
