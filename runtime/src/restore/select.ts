// Picks the best restore strategy this process can use, in order of preference, and says why.
import { cowFactory } from "./cow.ts";
import { dirtyFactory } from "./dirty.ts";
import { memcpyFactory } from "./memcpy.ts";
import type { StrategyFactory, StrategyName } from "./strategy.ts";

/** Preference order: restore only dirtied pages, then kernel copy-on-write, then a full copy. */
export function availableFactories(): StrategyFactory[] {
  return [dirtyFactory, cowFactory, memcpyFactory];
}

export interface Selection {
  factory: StrategyFactory;
  /** One line for the log and /healthz: which strategy and why the better ones were passed over. */
  reason: string;
}

export async function selectStrategy(wanted?: StrategyName): Promise<Selection> {
  const factories = availableFactories();
  const skipped: string[] = [];
  for (const factory of factories) {
    if (wanted && factory.name !== wanted) continue;
    const probe = factory.probe();
    if (probe.ok) {
      const why = skipped.length ? `; passed over: ${skipped.join("; ")}` : "";
      return { factory, reason: `${factory.name} (${probe.detail})${why}` };
    }
    skipped.push(`${factory.name}: ${probe.reason}`);
  }
  if (wanted) throw new Error(`restore strategy '${wanted}' is not available: ${skipped.join("; ") || "unknown name"}`);
  return { factory: memcpyFactory, reason: "memcpy" };
}
