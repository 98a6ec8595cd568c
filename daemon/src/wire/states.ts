// The branching endpoints' wire shapes: states, evals on a state, forks.
import { z } from "zod";
import { evalRequest, evalResponse } from "./eval.ts";

export const MAX_BRANCHES = 1024;

export const stateIdParams = z.strictObject({
  state_id: z.string().min(1).max(64).describe("A state id as returned by POST /v1/states."),
});

/** An eval on a state; `checkpoint: true` keeps the state it leaves (a child of this one). */
export const stateEvalRequest = evalRequest.extend({
  checkpoint: z.boolean().optional().describe("Keep the resulting state and return its state_id."),
});
export type StateEvalRequest = z.infer<typeof stateEvalRequest>;

export const forkRequest = z.strictObject({
  branches: z
    .array(stateEvalRequest)
    .min(1)
    .max(MAX_BRANCHES)
    .describe(`1..${MAX_BRANCHES} eval requests; each runs on its own fresh copy of the state.`),
});

export const forkResponse = z.object({
  results: z.array(evalResponse).describe("One eval response per branch, in the order of the request."),
});

export const stateInfo = z.object({
  state_id: z.string(),
  parent_id: z.string().nullable().describe("The state this one was made from; null for a state made from a fresh interpreter."),
  depth: z.int().describe("1 for a state made from a fresh interpreter, parent's depth + 1 otherwise."),
  bytes: z.int().describe("What this state costs to keep: its own compressed page diff and filesystem delta."),
  created_at: z.string().describe("ISO 8601 time the state was made."),
  children: z.int().describe("Live states made from this one."),
});
