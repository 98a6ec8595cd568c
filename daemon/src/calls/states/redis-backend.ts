// The shared state store (`states.store: "redis"`): every state's metadata and envelope live in
// Redis with a TTL (redis-scripts.ts has the key layout and the tree operations), so any daemon
// serves eval/fork/get/delete of any of the tenant's states, and states outlive the daemons.
// Redis enforces the memory budget (maxmemory + volatile-lru, docs/cluster.md); a state whose
// ancestor was evicted answers "ancestor gone". Blobs never change once made, so each daemon
// keeps a bounded LRU of the ones it used and fetches the rest on demand.
import { Redis, ReplyError } from "ioredis";
import { LRUCache } from "lru-cache";
import type { StateBlob } from "../../../../runtime/src/protocol/messages.ts";
import { encodeState } from "../../../../runtime/src/protocol/state-envelope.ts";
import {
  envelopeProblem,
  ParentGoneError,
  STATE_ID,
  StateStoreUnavailableError,
  type BackendOptions,
  type ChainOptions,
  type StateBackend,
  type StateChain,
  type StateLookup,
  type StateMeta,
} from "./backend.ts";
import { ADD, DELETE, LOOKUP } from "./redis-scripts.ts";

export interface RedisBackendOptions extends BackendOptions {
  /** A redis:// URL, or a client the caller owns (it is not closed by close()). */
  connection: string | Redis;
  /** Key prefix (several deployments may share one Redis). Default "arbor". */
  prefix?: string;
  /** Bytes of envelopes kept in this process. Default 256 MiB. */
  cacheBytes?: number;
  /** How often known states are checked for expiry (executors drop what is gone). Default 30 s or the TTL. */
  sweepIntervalMs?: number;
  /** Connection errors (ioredis reconnects by itself); the daemon logs them. */
  onError?: (err: Error) => void;
}

type Reply = Array<string | number | null>;

interface ScriptClient extends Redis {
  arborStateAdd(key: string, ...args: Array<string | number | Buffer>): Promise<Reply>;
  arborStateLookup(key: string, ...args: Array<string | number>): Promise<Reply>;
  arborStateDelete(key: string, ...args: string[]): Promise<string[] | null>;
}

export class RedisBackend implements StateBackend {
  readonly kind = "redis";
  private readonly redis: ScriptClient;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly cache: LRUCache<string, Buffer>;
  /** States this daemon has touched (its executors may hold them) → expiry last seen. */
  private readonly known = new Map<string, { tenant: string; expiresAt: number }>();
  private readonly forgetListeners: Array<(id: string) => void> = [];
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: RedisBackendOptions) {
    this.ownsClient = typeof options.connection === "string";
    const client =
      typeof options.connection === "string"
        ? // A few quick retries per command, then the call fails (503) instead of hanging.
          new Redis(options.connection, { maxRetriesPerRequest: 2, lazyConnect: false })
        : options.connection;
    if (this.ownsClient) client.on("error", (err: Error) => options.onError?.(err));
    client.defineCommand("arborStateAdd", { numberOfKeys: 1, lua: ADD });
    client.defineCommand("arborStateLookup", { numberOfKeys: 1, lua: LOOKUP });
    client.defineCommand("arborStateDelete", { numberOfKeys: 1, lua: DELETE });
    this.redis = client as ScriptClient;
    this.prefix = options.prefix ?? "arbor";
    this.cache = new LRUCache<string, Buffer>({ maxSize: options.cacheBytes ?? 256 * 1024 * 1024, sizeCalculation: (b) => Math.max(1, b.length) });
  }

  /** Where a tenant's states live; the tenant is in every key (and checked on read). */
  private base(tenant: string): string {
    return `${this.prefix}:st:{${tenant}}:`;
  }

  async add(tenant: string, blob: StateBlob): Promise<StateMeta> {
    const image = this.options.image();
    const envelope = encodeState(blob, image);
    const base = this.base(tenant);
    const reply = await this.call(() =>
      this.redis.arborStateAdd(base + blob.id, base, blob.id, blob.parent_id ?? "", tenant, this.options.ttlMs, envelope.length, image, blob.page_format, envelope),
    );
    if (reply[0] === 0) throw new ParentGoneError(blob.parent_id ?? String(reply[1]));
    this.cache.set(this.cacheKey(tenant, blob.id), envelope);
    this.known.set(blob.id, { tenant, expiresAt: Number(reply[2]) + this.options.ttlMs });
    return {
      id: blob.id,
      tenant,
      parentId: blob.parent_id,
      depth: Number(reply[1]),
      bytes: envelope.length,
      createdAt: new Date(Number(reply[2])),
      children: 0,
      image,
    };
  }

  async get(tenant: string, id: string): Promise<StateLookup> {
    const found = await this.lookup(tenant, id, true);
    if (!found.ok) return found;
    return { ok: true, state: found.state };
  }

  async chain(tenant: string, id: string, options: ChainOptions = {}): Promise<StateChain> {
    const found = await this.lookup(tenant, id, options.visibleOnly !== false);
    if (!found.ok) return found;
    const ids = found.ids;
    const need = options.need ? ids.filter(options.need) : ids;
    const envelopes = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const s of need) {
      const cached = this.cache.get(this.cacheKey(tenant, s));
      if (cached) envelopes.set(s, cached);
      else missing.push(s);
    }
    if (missing.length) {
      const base = this.base(tenant);
      const fetched = await this.call(() => this.redis.mgetBuffer(...missing.map((s) => `${base}${s}:blob`)));
      for (const [i, s] of missing.entries()) {
        const envelope = fetched[i];
        // Evicted between the lookup and the fetch.
        if (!envelope) return s === id ? { ok: false, reason: "not_found" } : { ok: false, reason: "ancestor_gone", ancestor: s };
        this.cache.set(this.cacheKey(tenant, s), envelope);
        envelopes.set(s, envelope);
      }
    }
    const image = this.options.image();
    for (const s of need) {
      const problem = envelopeProblem(envelopes.get(s)!, image);
      if (problem) return { ok: false, reason: "incompatible", stateId: s, error: problem };
    }
    // In chain order, root first.
    return { ok: true, state: found.state, ids, envelopes: new Map(need.map((s) => [s, envelopes.get(s)!])) };
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    if (!STATE_ID.test(id)) return false;
    const base = this.base(tenant);
    const dropped = await this.call(() => this.redis.arborStateDelete(base + id, base, id, tenant));
    if (dropped === null) return false;
    for (const gone of dropped) this.forget(tenant, gone);
    return true;
  }

  onForget(listener: (id: string) => void): void {
    this.forgetListeners.push(listener);
  }

  stats(): { states: number; bytes: number } {
    return { states: this.known.size, bytes: this.cache.calculatedSize };
  }

  start(): void {
    const every = this.options.sweepIntervalMs ?? Math.min(this.options.ttlMs, 30_000);
    this.sweeper ??= setInterval(() => void this.sweep().catch(() => undefined), every);
    this.sweeper.unref();
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    if (this.ownsClient) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * Finds the states this daemon knows whose TTL has passed and that Redis no longer has
   * (expired, evicted, or deleted through another daemon), and forgets them. Returns how many.
   */
  async sweep(now = Date.now()): Promise<number> {
    const due = [...this.known.entries()].filter(([, k]) => k.expiresAt <= now);
    if (!due.length) return 0;
    const pipeline = this.redis.pipeline();
    for (const [id, k] of due) pipeline.pttl(`${this.base(k.tenant)}${id}`);
    const replies = (await pipeline.exec()) ?? [];
    let forgotten = 0;
    due.forEach(([id, k], i) => {
      const [err, pttl] = replies[i] ?? [null, null];
      if (err) return;
      if (typeof pttl === "number" && pttl >= 0) k.expiresAt = now + pttl;
      else if (pttl === -2) {
        this.forget(k.tenant, id);
        forgotten++;
      }
    });
    return forgotten;
  }

  private async lookup(tenant: string, id: string, visibleOnly: boolean): Promise<{ ok: true; state: StateMeta; ids: string[] } | Exclude<StateLookup, { ok: true }>> {
    if (!STATE_ID.test(id)) return { ok: false, reason: "not_found" };
    const base = this.base(tenant);
    const reply = await this.call(() => this.redis.arborStateLookup(base + id, base, id, tenant, this.options.ttlMs, visibleOnly ? "1" : "0"));
    if (reply[0] === 0) return { ok: false, reason: "not_found" };
    if (reply[0] === 2) return { ok: false, reason: "ancestor_gone", ancestor: String(reply[1]) };
    const [, parent, depth, bytes, created, image, children, expiry, ...leafFirst] = reply;
    const ids = leafFirst.map(String).reverse();
    for (const s of ids) this.known.set(s, { tenant, expiresAt: Number(expiry) });
    return {
      ok: true,
      ids,
      state: {
        id,
        tenant,
        parentId: parent ? String(parent) : null,
        depth: Number(depth),
        bytes: Number(bytes),
        createdAt: new Date(Number(created)),
        children: Number(children),
        image: String(image),
      },
    };
  }

  private forget(tenant: string, id: string): void {
    this.known.delete(id);
    this.cache.delete(this.cacheKey(tenant, id));
    for (const listener of this.forgetListeners) listener(id);
  }

  private cacheKey(tenant: string, id: string): string {
    return `${tenant}/${id}`;
  }

  /** Redis unreachable (or out of memory with nothing it may evict): StateStoreUnavailableError. */
  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const reply = err instanceof (ReplyError as new () => Error);
      if (reply && !/^OOM /.test((err as Error).message)) throw err;
      throw new StateStoreUnavailableError(err);
    }
  }
}
