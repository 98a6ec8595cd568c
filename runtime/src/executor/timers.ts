// JS timers in the executor. Its loop never yields to the event loop, so a timer never fires;
// but one registered during a call (by anything Python reaches) would still be state that
// outlives the call. After boot, registrations are only counted (the fingerprint shows them):
// no timer is ever armed.

const live = new Set<object>();

/** From now on setTimeout/setInterval/setImmediate only count; returns the live count. */
export function disarmTimers(): () => number {
  const g = globalThis as unknown as Record<string, unknown>;
  const inert = (kind: string) => {
    const register = (): object => {
      const handle: object = { arbor: kind, ref: () => handle, unref: () => handle, hasRef: () => false, refresh: () => handle };
      live.add(handle);
      return handle;
    };
    return register;
  };
  const clear = (handle: unknown) => {
    if (handle && typeof handle === "object") live.delete(handle);
  };
  g.setTimeout = inert("timeout");
  g.setInterval = inert("interval");
  g.setImmediate = inert("immediate");
  g.clearTimeout = clear;
  g.clearInterval = clear;
  g.clearImmediate = clear;
  return () => live.size;
}
