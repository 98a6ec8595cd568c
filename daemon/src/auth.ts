// Request admission by tenant: API key authentication and per-tenant calls-per-minute.
import { createHash, timingSafeEqual } from "node:crypto";
import { openTenant, type ArborConfig, type DeepReadonly, type ResolvedTenant } from "./config/index.ts";
import { errors } from "./errors.ts";

export type Tenant = DeepReadonly<ResolvedTenant>;

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined if absent or malformed. */
export function parseBearer(headerValue: string | readonly string[] | undefined): string | undefined {
  if (typeof headerValue !== "string") return undefined;
  return BEARER.exec(headerValue)?.[1];
}

const digestCache = new WeakMap<ArborConfig, Buffer[]>();

function tenantDigests(config: ArborConfig): Buffer[] {
  let digests = digestCache.get(config);
  if (!digests) {
    digests = config.tenants.map((t) => Buffer.from(t.api_key_sha256, "hex"));
    digestCache.set(config, digests);
  }
  return digests;
}

/**
 * The tenant a request belongs to. Without tenants in the config every request is the open
 * tenant "default". @throws ArborError("unauthorized")
 */
export function authenticate(headerValue: string | readonly string[] | undefined, config: ArborConfig): Tenant {
  if (config.tenants.length === 0) return openTenant(config);
  if (headerValue === undefined || headerValue === "") {
    throw errors.unauthorized("Missing 'Authorization: Bearer <api_key>' header.");
  }
  const token = parseBearer(headerValue);
  if (token === undefined) throw errors.unauthorized("The Authorization header must be 'Bearer <api_key>'.");

  // Compare digests (fixed length) against every tenant without stopping at a match, so the
  // time taken says nothing about which tenant, or how much of a key, matched.
  const presented = createHash("sha256").update(token, "utf8").digest();
  let match: Tenant | undefined;
  tenantDigests(config).forEach((digest, i) => {
    if (timingSafeEqual(presented, digest) && match === undefined) match = config.tenants[i];
  });
  if (match === undefined) throw errors.unauthorized("Invalid API key.");
  return match;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

/**
 * Sliding-window limiter: at most N accepted calls in any 60 s. Keeps the timestamps of the
 * last N accepted calls per key in a ring, so each check is O(1) and exact.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { times: Float64Array; next: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the call if allowed. `perMinute` null or undefined means unlimited. */
  take(key: string, perMinute: number | null | undefined): RateDecision {
    if (perMinute == null) return { allowed: true };
    let window = this.windows.get(key);
    if (!window || window.times.length !== perMinute) {
      window = { times: new Float64Array(perMinute).fill(Number.NEGATIVE_INFINITY), next: 0 };
      this.windows.set(key, window);
    }
    const t = this.now();
    // The slot about to be overwritten holds the N-th most recent accepted call.
    const oldest = window.times[window.next]!;
    if (t - oldest < WINDOW_MS) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - t) / 1000)) };
    }
    window.times[window.next] = t;
    window.next = (window.next + 1) % perMinute;
    return { allowed: true };
  }

  /** take() for a tenant's own limit. @throws ArborError("rate_limited") with retryAfterSeconds */
  enforce(tenant: Pick<Tenant, "name" | "limits">): void {
    const decision = this.take(tenant.name, tenant.limits.calls_per_minute);
    if (!decision.allowed) {
      throw errors.rateLimited(
        decision.retryAfterSeconds,
        `Tenant '${tenant.name}' is limited to ${tenant.limits.calls_per_minute} calls per minute.`,
        { limit: "calls_per_minute", calls_per_minute: tenant.limits.calls_per_minute },
      );
    }
  }

}
