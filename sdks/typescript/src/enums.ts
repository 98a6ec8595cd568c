// The wire's closed sets of names, each spelled once in this SDK. The types are derived from
// the lists, and test/openapi.test.ts fails when a list differs from sdks/openapi.json.

/** How a call ended (EvalResponse `status`). */
export const CALL_STATUSES = ["ok", "error", "timeout", "memory_limit", "output_limit", "crashed"] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Host capabilities a call may ask for (the request's `capabilities` items). */
export const CAPABILITIES = ["shell", "files", "web_fetch", "tools"] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** How one host call ended (the host call record's `outcome`). */
export const HOST_CALL_OUTCOMES = ["ok", "denied", "error"] as const;
export type HostCallOutcome = (typeof HOST_CALL_OUTCOMES)[number];

/** Where a batch is (GET /v1/batches/{batch_id} `status`); `done` and `cancelled` are final. */
export const BATCH_STATUSES = ["queued", "running", "done", "cancelled"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const FINAL_BATCH_STATUSES: ReadonlySet<BatchStatus> = new Set(["done", "cancelled"]);

/** `value` is one of `values` (a narrowing membership test for the lists above). */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}
