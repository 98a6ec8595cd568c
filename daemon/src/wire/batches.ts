// The batch endpoints' wire shapes: a batch of programs or of branches of one state, its
// progress and the results so far. Statuses come from the batch module that decides them.
import { z } from "zod";
import { BATCH_STATUSES } from "../batches/types.ts";
import { evalRequest, evalResponse } from "./eval.ts";
import { stateEvalRequest, stateIdParams } from "./states.ts";

/** The wire's ceiling on jobs per batch; `batches.max_items` sets the daemon's own (at most this). */
export const MAX_BATCH_ITEMS = 100_000;

export const batchRequest = z.union([
  z.strictObject({
    requests: z.array(evalRequest).min(1).max(MAX_BATCH_ITEMS).describe("Programs, each an eval request; each runs as one job in a fresh interpreter."),
  }),
  z.strictObject({
    state_id: stateIdParams.shape.state_id,
    branches: z.array(stateEvalRequest).min(1).max(MAX_BATCH_ITEMS).describe("Branches of the state, each run as one job on its own fresh copy of it."),
  }),
]);
export type BatchRequest = z.infer<typeof batchRequest>;

export const batchIdParams = z.strictObject({
  batch_id: z.string().min(1).max(64).describe("A batch id as returned by POST /v1/batches."),
});

/** Results per answer at most: a large batch is read in pages (`from`, `limit`). */
export const MAX_RESULTS_PAGE = 1000;

const index = z.coerce.number().int().min(0).max(MAX_BATCH_ITEMS);
export const batchQuery = z.strictObject({
  from: index.optional().describe("First job index of the results returned (default 0)."),
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_RESULTS_PAGE)
    .optional()
    .describe(`At most this many job indices from \`from\` (default and maximum ${MAX_RESULTS_PAGE}).`),
});

export const batchError = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

export const batchResult = z.union([
  z.object({ index: z.int().describe("The job's position in the request."), response: evalResponse }),
  z.object({ index: z.int(), error: batchError.describe("Why the job has no response: the error the call would have answered, e.g. capability_denied.") }),
]);

export const batchView = z.object({
  batch_id: z.string(),
  status: z.enum(BATCH_STATUSES).describe("queued → running → done; or cancelled. done and cancelled are final."),
  total: z.int().describe("Jobs in the batch."),
  done: z.int().describe("Jobs with a recorded result (each recorded exactly once)."),
  created_at: z.string().describe("ISO 8601 time the batch was accepted."),
  results: z.array(batchResult).describe("Finished jobs in the requested index range, by index."),
});
