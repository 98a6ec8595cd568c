// The error tree: one class per wire error code (sdks/contract/error-codes.json, generated from
// the daemon's registry), ConnectionError for transport failures. Branch on `code`, or on the
// class with instanceof; unknown codes arrive as the base ArborError with the code kept.

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
export class MethodNotAllowedError extends ArborError {}
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

export type ArborErrorClass = new (message: string, init: ArborErrorInit) => ArborError;

/** Wire code → class. The contract tests fail when a code of the daemon is missing here. */
export const ERROR_CLASSES: Readonly<Record<string, ArborErrorClass>> = Object.freeze({
  invalid_request: InvalidRequestError,
  limit_exceeded: LimitExceededError,
  unauthorized: UnauthorizedError,
  capability_denied: CapabilityDeniedError,
  not_found: NotFoundError,
  state_not_found: StateNotFoundError,
  method_not_allowed: MethodNotAllowedError,
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
  const code = typeof envelope?.code === "string" ? envelope.code : "unexpected_response";
  const message =
    typeof envelope?.message === "string" ? envelope.message : `HTTP ${status} without an Arbor error body`;
  const ErrorClass = Object.hasOwn(ERROR_CLASSES, code) ? ERROR_CLASSES[code]! : ArborError;
  return new ErrorClass(message, {
    code,
    status,
    details: envelope?.details,
    requestId: meta.requestId,
    retryAfterSeconds: meta.retryAfterSeconds,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
