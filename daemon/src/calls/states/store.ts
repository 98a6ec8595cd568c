// Kept interpreter states: a tree per tenant, each node only what its call changed (compressed
// page diffs + a filesystem delta). One memory budget for all of them with LRU eviction of
// leaves, and a TTL. A parent is kept while it has children (they are diffs against it); a
// deleted parent disappears from the API at once and from memory with its last child.
import { randomBytes } from "node:crypto";
import type { StateBlob } from "../../../../runtime/src/protocol/messages.ts";

export interface StoredState {
  id: string;
  tenant: string;
  parentId: string | null;
  depth: number;
  blob: StateBlob;
  /** What this state costs to keep: its compressed pages and filesystem delta. */
  bytes: number;
  createdAt: Date;
  lastUsed: number;
  children: Set<string>;
  /** Deleted or expired through the API; kept only while children need it. */
  hidden: boolean;
}

export interface StoreOptions {
  maxBytes: number;
  ttlMs: number;
  now?: () => number;
}

export class StateStore {
  private readonly states = new Map<string, StoredState>();
  private totalBytes = 0;
  private readonly now: () => number;
  private readonly forgetListeners: Array<(id: string) => void> = [];
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: StoreOptions) {
    this.now = options.now ?? Date.now;
  }

  static newId(): string {
    return `st_${randomBytes(12).toString("base64url")}`;
  }

  get count(): number {
    return this.states.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Called with the id of every state dropped from memory (executors forget it too). */
  onForget(listener: (id: string) => void): void {
    this.forgetListeners.push(listener);
  }

  startSweeping(): void {
    this.sweeper ??= setInterval(() => this.expire(), Math.min(this.options.ttlMs, 30_000));
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  add(tenant: string, blob: StateBlob): StoredState {
    const parent = blob.parent_id ? this.states.get(blob.parent_id) : undefined;
    if (blob.parent_id && !parent) throw new Error(`parent state ${blob.parent_id} is gone`);
    const bytes = Math.ceil((blob.pages_b64.length * 3) / 4) + JSON.stringify(blob.fs).length + 8 * blob.page_index.length;
    const state: StoredState = {
      id: blob.id,
      tenant,
      parentId: blob.parent_id,
      depth: parent ? parent.depth + 1 : 1,
      blob,
      bytes,
      createdAt: new Date(this.now()),
      lastUsed: this.now(),
      children: new Set(),
      hidden: false,
    };
    parent?.children.add(state.id);
    this.states.set(state.id, state);
    this.totalBytes += bytes;
    this.evictOverBudget(state.id);
    return state;
  }

  /** A visible state of this tenant (another tenant's is as unknown as a missing one). */
  get(tenant: string, id: string): StoredState | undefined {
    const state = this.states.get(id);
    if (!state || state.hidden || state.tenant !== tenant) return undefined;
    if (this.now() - state.lastUsed > this.options.ttlMs) {
      this.hide(state);
      return undefined;
    }
    state.lastUsed = this.now();
    for (let p = state.parentId; p; p = this.states.get(p)?.parentId ?? null) {
      const ancestor = this.states.get(p);
      if (ancestor) ancestor.lastUsed = state.lastUsed;
    }
    return state;
  }

  /** The states from the root down to `id` (what an executor must hold to apply it). */
  chain(id: string): StoredState[] {
    const out: StoredState[] = [];
    for (let s = this.states.get(id); s; s = s.parentId ? this.states.get(s.parentId) : undefined) out.push(s);
    return out.reverse();
  }

  delete(tenant: string, id: string): boolean {
    const state = this.get(tenant, id);
    if (!state) return false;
    this.hide(state);
    return true;
  }

  private hide(state: StoredState): void {
    state.hidden = true;
    this.dropIfUnneeded(state);
  }

  /** Removes a hidden (or evicted) leaf, then its hidden ancestors that became leaves. */
  private dropIfUnneeded(state: StoredState): void {
    let current: StoredState | undefined = state;
    while (current && current.hidden && current.children.size === 0) {
      this.states.delete(current.id);
      this.totalBytes -= current.bytes;
      for (const listener of this.forgetListeners) listener(current.id);
      const parent: StoredState | undefined = current.parentId ? this.states.get(current.parentId) : undefined;
      parent?.children.delete(current.id);
      current = parent;
    }
  }

  private expire(): void {
    const now = this.now();
    for (const state of [...this.states.values()]) {
      if (!state.hidden && now - state.lastUsed > this.options.ttlMs) this.hide(state);
    }
  }

  // Least recently used leaves go first; never the state just added.
  private evictOverBudget(keep: string): void {
    while (this.totalBytes > this.options.maxBytes) {
      let victim: StoredState | undefined;
      for (const s of this.states.values()) {
        if (s.children.size > 0 || s.id === keep) continue;
        if (!victim || s.lastUsed < victim.lastUsed) victim = s;
      }
      if (!victim) return;
      this.hide(victim);
    }
  }
}
