// When to retry a 429 and how long to wait: never sooner than Retry-After, otherwise capped
// exponential backoff with "equal jitter" (half fixed, half random) so clients spread out.

export interface RetryPolicy {
  /** Extra attempts after the first; 0 disables retries. */
  retries: number;
  baseDelayMs: number;
  /** No single wait is longer; a Retry-After beyond it is not retried (the error is thrown). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ retries: 2, baseDelayMs: 250, maxDelayMs: 10_000 });

/**
 * The wait before retry number `attempt` (0-based), or undefined when the server asks for a
 * longer wait than `maxDelayMs` allows.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterSeconds: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = backoff / 2 + (random() * backoff) / 2;
  if (retryAfterSeconds === undefined) return jittered;
  const floor = retryAfterSeconds * 1000;
  if (floor > policy.maxDelayMs) return undefined;
  return Math.max(floor, Math.min(policy.maxDelayMs, Math.max(floor + random() * policy.baseDelayMs, jittered)));
}

/** Retry-After as seconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
