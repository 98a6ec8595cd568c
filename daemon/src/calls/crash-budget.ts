// Crashes are paid by whoever causes them: each tenant may crash (or get killed) at most
// `limits.crashes_per_minute` executor calls in any 60 s; past that its own calls are refused
// with 429 and Retry-After until the window frees, while other tenants are served as usual.
// A crash recovered in place costs the service milliseconds, a lost executor a boot from the
// snapshot; the budget bounds both.
import type { Tenant } from "../auth.ts";
import { errors } from "../errors.ts";

const WINDOW_MS = 60_000;

export class CrashBudget {
  private readonly crashes = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** @throws ArborError("rate_limited") when the tenant spent its budget in the last minute. */
  enforce(tenant: Pick<Tenant, "name" | "limits">): void {
    const budget = tenant.limits.crashes_per_minute;
    if (budget === null) return;
    const recent = this.recent(tenant.name);
    if (recent.length < budget) return;
    const retryAfter = Math.max(1, Math.ceil((recent[recent.length - budget]! + WINDOW_MS - this.now()) / 1000));
    throw errors.rateLimited(retryAfter, `Tenant '${tenant.name}' crashed ${recent.length} calls in the last minute (limit ${budget}); retry later.`, {
      limit: "crashes_per_minute",
      crashes_per_minute: budget,
    });
  }

  record(tenant: string): void {
    const list = this.recent(tenant);
    list.push(this.now());
    this.crashes.set(tenant, list);
  }

  /** Crash times in the last minute, oldest first (older ones are dropped). */
  private recent(tenant: string): number[] {
    const list = this.crashes.get(tenant) ?? [];
    const cutoff = this.now() - WINDOW_MS;
    let drop = 0;
    while (drop < list.length && list[drop]! <= cutoff) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) this.crashes.delete(tenant);
    return list;
  }
}
