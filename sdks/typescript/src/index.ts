// The public surface of arbor-client: everything a user imports comes from here.
export { Client, DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, VERSION, type ClientOptions } from "./client.ts";
export { State } from "./state.ts";
export {
  ArborError,
  CapabilityDeniedError,
  ConnectionError,
  ERROR_CLASSES,
  InternalError,
  InvalidRequestError,
  LimitExceededError,
  MethodNotAllowedError,
  NotFoundError,
  OverloadedError,
  PayloadTooLargeError,
  RETRYABLE_CODES,
  RateLimitedError,
  StateNotFoundError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  type ArborErrorInit,
} from "./errors.ts";
export { DEFAULT_RETRY_POLICY, retryDelayMs, parseRetryAfter, type RetryPolicy } from "./retry.ts";
export type { RawRequest, RawResponse } from "./transport.ts";
export type {
  Branch,
  CallStatus,
  Capability,
  EvalOptions,
  EvalResult,
  HostCall,
  InputFile,
  OutputFile,
  PythonError,
  StateEvalOptions,
  StateInfo,
  Timing,
} from "./types.ts";
