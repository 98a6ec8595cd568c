// What both batch queues share: ids, turning a spec into jobs, its size limit, and how a failed
// job is classified (retry it, or record its error as the job's result).
import { errors, toEnvelope } from "../errors.ts";
import type { BatchError, BatchResult, BatchSpec, BatchWork, ResultRange } from "./types.ts";
import { randomIdBytes } from "../util/random-id-bytes.ts";

export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 500;

/** `bt_` + 16 base64url chars; anything else names no batch (and no key). */
export const BATCH_ID = /^bt_[A-Za-z0-9_-]{16}$/;

export function newBatchId(): string {
  return `bt_${randomIdBytes(12).toString("base64url")}`;
}

/** The jobs of a spec, in order; 1..maxItems of them. */
export function worksOf(spec: BatchSpec, maxItems: number): BatchWork[] {
  const works: BatchWork[] =
    "requests" in spec ? spec.requests.map((request) => ({ request })) : spec.branches.map((request) => ({ request, state_id: spec.state_id }));
  if (works.length === 0) throw errors.invalidRequest("A batch needs at least one program.");
  if (works.length > maxItems) {
    throw errors.limitExceeded(`A batch holds at most ${maxItems} programs; this one has ${works.length}.`, { max_items: maxItems, items: works.length });
  }
  return works;
}

/** The public error body for a job that ends in an error (unknown errors say only "internal"). */
export function toBatchError(err: unknown): BatchError {
  return toEnvelope(err).body.error;
}

/** Worth running again later: the daemon was busy or unavailable, not the program's fault. */
export function isRetryable(err: unknown): boolean {
  const code = toEnvelope(err).body.error.code;
  return code === "overloaded" || code === "unavailable" || code === "rate_limited";
}

export function backoff(attempt: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

/** The indices a range covers, within 0..total-1. */
export function indicesOf(range: ResultRange, total: number): number[] {
  const from = Math.max(0, Math.floor(range.from ?? 0));
  const end = range.limit === undefined ? total : Math.min(total, from + Math.max(0, Math.floor(range.limit)));
  const out: number[] = [];
  for (let i = from; i < end; i++) out.push(i);
  return out;
}

export function byIndex(a: BatchResult, b: BatchResult): number {
  return a.index - b.index;
}
