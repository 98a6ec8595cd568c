// The one registry of API error codes and the mapping of anything thrown to the public envelope
// `{ "error": { "code", "message", "details"? } }`. docs/errors.md mirrors ERROR_CODES and
// daemon/test/errors.test.ts fails when the two disagree.

export interface ErrorSpec {
  readonly status: number;
  /** Default client-facing text, used when the thrower gives none. */
  readonly message: string;
}

export const ERROR_CODES = {
  invalid_request: { status: 400, message: "The request is invalid." },
  limit_exceeded: { status: 400, message: "The request asks for more than its limits allow." },
  unauthorized: { status: 401, message: "A valid 'Authorization: Bearer <api_key>' header is required." },
  capability_denied: { status: 403, message: "The capability is not granted to this tenant." },
  not_found: { status: 404, message: "No such route." },
  state_not_found: { status: 404, message: "No such state; it may have expired or been deleted." },
  batch_not_found: { status: 404, message: "No such batch; it may have expired." },
  method_not_allowed: { status: 405, message: "The route does not support this method." },
  not_acceptable: { status: 406, message: "The response types the Accept header allows cannot be served." },
  state_incompatible: { status: 409, message: "The state was made by an interpreter image or state format this daemon cannot load." },
  payload_too_large: { status: 413, message: "The request body is too large." },
  unsupported_media_type: { status: 415, message: "The request body must be application/json." },
  overloaded: { status: 429, message: "The daemon is at capacity; retry later." },
  rate_limited: { status: 429, message: "Too many calls for this tenant; retry later." },
  internal: { status: 500, message: "Internal error." },
  unavailable: { status: 503, message: "The daemon is starting or shutting down; retry later." },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

export interface ArborErrorOptions {
  message?: string;
  details?: unknown;
  /** For `overloaded`, `rate_limited`, `unavailable`: the caller sets the Retry-After header from it. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** An error whose code, message and details are safe to show to the client. */
export class ArborError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, options: ArborErrorOptions = {}) {
    super(options.message ?? ERROR_CODES[code].message, { cause: options.cause });
    this.name = "ArborError";
    this.code = code;
    this.statusCode = ERROR_CODES[code].status;
    this.details = options.details;
    this.retryAfterSeconds =
      options.retryAfterSeconds === undefined ? undefined : wholeSeconds(options.retryAfterSeconds);
  }
}

// Retry-After takes whole seconds; never advertise 0 (clients would spin).
function wholeSeconds(seconds: number): number {
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 1;
}

export const errors = {
  invalidRequest: (message?: string, details?: unknown) =>
    new ArborError("invalid_request", { message, details }),
  limitExceeded: (message?: string, details?: unknown) =>
    new ArborError("limit_exceeded", { message, details }),
  unauthorized: (message?: string) => new ArborError("unauthorized", { message }),
  capabilityDenied: (message?: string, details?: unknown) =>
    new ArborError("capability_denied", { message, details }),
  notFound: (method: string, url: string) =>
    new ArborError("not_found", { message: `No route ${method} ${url}.` }),
  stateNotFound: (stateId: string) =>
    new ArborError("state_not_found", { message: `No state '${stateId}'.`, details: { state_id: stateId } }),
  /** The state is stored but an ancestor is not (evicted or expired): its pages are diffs against it. */
  stateAncestorGone: (stateId: string, ancestorId: string) =>
    new ArborError("state_not_found", {
      message: `State '${stateId}' can no longer run: its ancestor '${ancestorId}' is gone (evicted or expired from the state store).`,
      details: { state_id: stateId, reason: "ancestor_gone", ancestor_id: ancestorId },
    }),
  stateIncompatible: (stateId: string, details: { problem: string; found?: string | number; expected?: string | number }, message: string) =>
    new ArborError("state_incompatible", { message: `State '${stateId}' cannot be loaded here: ${message}.`, details: { state_id: stateId, ...details } }),
  batchNotFound: (batchId: string) =>
    new ArborError("batch_not_found", { message: `No batch '${batchId}'.`, details: { batch_id: batchId } }),
  methodNotAllowed: (method: string, allowed: readonly string[]) =>
    new ArborError("method_not_allowed", {
      message: `Method ${method} is not allowed here; use ${allowed.join(", ")}.`,
      details: { allowed },
    }),
  notAcceptable: (message?: string, details?: unknown) => new ArborError("not_acceptable", { message, details }),
  payloadTooLarge: (message?: string, details?: unknown) =>
    new ArborError("payload_too_large", { message, details }),
  unsupportedMediaType: (message?: string) => new ArborError("unsupported_media_type", { message }),
  overloaded: (retryAfterSeconds: number, message?: string, details?: unknown) =>
    new ArborError("overloaded", { message, details, retryAfterSeconds }),
  rateLimited: (retryAfterSeconds: number, message?: string, details?: { limit: "calls_per_minute" | "crashes_per_minute"; [k: string]: unknown }) =>
    new ArborError("rate_limited", { message, retryAfterSeconds, details }),
  unavailable: (retryAfterSeconds?: number, message?: string, details?: unknown) =>
    new ArborError("unavailable", { message, retryAfterSeconds, details }),
  internal: (cause?: unknown) => new ArborError("internal", { cause }),
};

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export interface MappedError {
  statusCode: number;
  body: ErrorEnvelope;
  /** Set for retryable codes; the caller turns it into a `Retry-After` header. */
  retryAfterSeconds?: number;
}

/** Maps anything thrown to the public envelope. Never copies stacks or unknown error messages. */
export function toEnvelope(err: unknown): MappedError {
  if (err instanceof ArborError) {
    return envelope(err.code, err.message, err.details, err.retryAfterSeconds);
  }
  if (!isObject(err)) return envelope("internal");

  const validation = fromValidation(err);
  if (validation) return validation;

  const fastifyCode = typeof err.code === "string" ? err.code : undefined;
  if (fastifyCode !== undefined) {
    const known = FASTIFY_CODES[fastifyCode];
    if (known) return envelope(known.code, known.message);
  }

  const status = typeof err.statusCode === "number" ? err.statusCode : undefined;
  // fastify's JSON parser and custom parsers rethrow SyntaxError tagged with statusCode 400.
  if (err instanceof SyntaxError && status === 400) {
    return envelope("invalid_request", "The request body is not valid JSON.");
  }
  if (isZodError(err)) {
    return invalidRequestFromIssues("body", err.issues.map(zodIssueToDetail));
  }
  if (status !== undefined && status >= 400 && status < 500) {
    const code = CODE_BY_CLIENT_STATUS[status] ?? "invalid_request";
    // Only fastify's own messages are known to be client-safe text.
    const message = fastifyCode?.startsWith("FST_") && typeof err.message === "string" ? err.message : undefined;
    return envelope(code, message);
  }
  if (status === 503) return envelope("unavailable");
  return envelope("internal");
}

function envelope(code: ErrorCode, message?: string, details?: unknown, retryAfterSeconds?: number): MappedError {
  const body: ErrorEnvelope = { error: { code, message: message ?? ERROR_CODES[code].message } };
  if (details !== undefined) body.error.details = details;
  const mapped: MappedError = { statusCode: ERROR_CODES[code].status, body };
  if (retryAfterSeconds !== undefined) mapped.retryAfterSeconds = retryAfterSeconds;
  return mapped;
}

const FASTIFY_CODES: Partial<Record<string, { code: ErrorCode; message?: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "unsupported_media_type" },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "payload_too_large" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "invalid_request", message: "The request body is empty; send a JSON object." },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "invalid_request", message: "The request body is not valid JSON." },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: "invalid_request",
    message: "The request body size did not match Content-Length.",
  },
  FST_ERR_NOT_FOUND: { code: "not_found" },
  // A response that fails its own schema is our bug, not the client's.
  FST_ERR_RESPONSE_SERIALIZATION: { code: "internal" },
};

const CODE_BY_CLIENT_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "invalid_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

export interface ValidationIssueDetail {
  path: string;
  code: string;
  message: string;
  keys?: string[];
}

// fastify (ajv or fastify-type-provider-zod) attaches `validation: [{ instancePath, keyword, message, params }]`.
function fromValidation(err: Record<string, unknown>): MappedError | undefined {
  if (!Array.isArray(err.validation)) return undefined;
  const location = typeof err.validationContext === "string" ? err.validationContext : "body";
  const issues = err.validation.filter(isObject).map((v): ValidationIssueDetail => {
    const params = isObject(v.params) ? v.params : {};
    const issue: ValidationIssueDetail = {
      path: typeof v.instancePath === "string" ? v.instancePath.replace(/^\//, "").split("/").filter(Boolean).join(".") : "",
      code: typeof v.keyword === "string" ? v.keyword : "invalid",
      message: typeof v.message === "string" ? v.message : "invalid value",
    };
    const keys = stringArray(params.keys) ?? (typeof params.additionalProperty === "string" ? [params.additionalProperty] : undefined);
    if (keys) issue.keys = keys;
    return issue;
  });
  return invalidRequestFromIssues(location, issues);
}

function invalidRequestFromIssues(location: string, issues: ValidationIssueDetail[]): MappedError {
  const first = issues[0];
  const where = first && first.path ? `${location}.${first.path}` : location;
  const what = first ? (first.keys ? `unknown field(s) ${first.keys.join(", ")}` : first.message) : "invalid";
  return envelope("invalid_request", `Invalid request ${where}: ${what}.`, { location, issues });
}

interface ZodLikeIssue {
  code?: unknown;
  path?: unknown;
  message?: unknown;
  keys?: unknown;
}

function isZodError(err: Record<string, unknown>): err is Record<string, unknown> & { issues: ZodLikeIssue[] } {
  return (err.name === "ZodError" || err.name === "$ZodError") && Array.isArray(err.issues);
}

function zodIssueToDetail(issue: ZodLikeIssue): ValidationIssueDetail {
  const detail: ValidationIssueDetail = {
    path: Array.isArray(issue.path) ? issue.path.map(String).join(".") : "",
    code: typeof issue.code === "string" ? issue.code : "invalid",
    message: typeof issue.message === "string" ? issue.message : "invalid value",
  };
  const keys = stringArray(issue.keys);
  if (keys) detail.keys = keys;
  return detail;
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((k) => typeof k === "string") ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
