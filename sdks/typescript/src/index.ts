// The public surface of arbor-client: everything a user imports comes from here.
export { Client, DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, VERSION, type ClientOptions } from "./client.ts";
export { State } from "./state.ts";
export { Batch } from "./batch.ts";
export { DEFAULT_MAX_POLL_INTERVAL_MS, DEFAULT_PAGE_SIZE, DEFAULT_POLL_INTERVAL_MS, nextPollDelayMs } from "./batch-poll.ts";
export {
  ArborError,
  BatchNotFoundError,
  StateIncompatibleError,
  CapabilityDeniedError,
  ConnectionError,
  ERROR_CLASSES,
  InternalError,
  InvalidRequestError,
  LimitExceededError,
  MethodNotAllowedError,
  NotAcceptableError,
  NotFoundError,
  OverloadedError,
  PayloadTooLargeError,
  RETRYABLE_CODES,
  RateLimitedError,
  StateNotFoundError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  WaitTimeoutError,
  type ArborErrorInit,
} from "./errors.ts";
export {
  BATCH_STATUSES,
  CALL_STATUSES,
  CAPABILITIES,
  HOST_CALL_OUTCOMES,
  type BatchStatus,
  type CallStatus,
  type Capability,
  type HostCallOutcome,
} from "./enums.ts";
export { DEFAULT_RETRY_POLICY, retryDelayMs, parseRetryAfter, type RetryPolicy } from "./retry.ts";
export { ROUTES, type Route } from "./routes.ts";
export type { RawRequest, RawResponse } from "./transport.ts";
export type {
  BatchPageOptions,
  BatchProgress,
  BatchResult,
  BatchSpec,
  BatchView,
  BatchWaitOptions,
  Branch,
  EvalOptions,
  EvalResult,
  HostCall,
  InputFile,
  OutputFile,
  Program,
  PythonError,
  StateEvalOptions,
  StateInfo,
  Timing,
  Tool,
  ToolParam,
} from "./types.ts";
