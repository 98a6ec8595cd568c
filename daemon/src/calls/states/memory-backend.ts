// The embedded default state store (`states.store: "memory"`): states in this process, behind
// the async StateBackend interface, each blob kept in its envelope. One memory
// budget for all states with LRU eviction of leaves, and a TTL; a parent is kept while it has
// children (they are diffs against it); a deleted parent disappears from the API at once and
// from memory with its last child. Ancestors are never evicted before their children here, so
// the "ancestor gone" outcome only exists in redis mode.
import type { StateBlob } from "../../../../runtime/src/protocol/messages.ts";
import { encodeState } from "../../../../runtime/src/protocol/state-envelope.ts";
import { envelopeProblem, ParentGoneError, type BackendOptions, type ChainOptions, type StateBackend, type StateChain, type StateLookup, type StateMeta } from "./backend.ts";

export interface MemoryBackendOptions extends BackendOptions {
  maxBytes: number;
  now?: () => number;
}

interface Node {
  id: string;
  tenant: string;
  parentId: string | null;
  depth: number;
  envelope: Buffer;
  image: string;
  createdAt: Date;
  lastUsed: number;
  children: Set<string>;
  /** Deleted or expired through the API; kept only while children need it. */
  hidden: boolean;
}

export class MemoryBackend implements StateBackend {
  readonly kind = "memory";
  private readonly nodes = new Map<string, Node>();
  private totalBytes = 0;
  private readonly now: () => number;
  private readonly forgetListeners: Array<(id: string) => void> = [];
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: MemoryBackendOptions) {
    this.now = options.now ?? Date.now;
  }

  async add(tenant: string, blob: StateBlob): Promise<StateMeta> {
    const parent = blob.parent_id ? this.nodes.get(blob.parent_id) : undefined;
    if (blob.parent_id && (!parent || parent.tenant !== tenant)) throw new ParentGoneError(blob.parent_id);
    const image = this.options.image();
    const node: Node = {
      id: blob.id,
      tenant,
      parentId: blob.parent_id,
      depth: parent ? parent.depth + 1 : 1,
      envelope: encodeState(blob, image),
      image,
      createdAt: new Date(this.now()),
      lastUsed: this.now(),
      children: new Set(),
      hidden: false,
    };
    parent?.children.add(node.id);
    this.nodes.set(node.id, node);
    this.totalBytes += node.envelope.length;
    this.touchAncestors(node);
    this.evictOverBudget(node.id);
    return meta(node);
  }

  async get(tenant: string, id: string): Promise<StateLookup> {
    const node = this.visible(tenant, id);
    if (!node) return { ok: false, reason: "not_found" };
    node.lastUsed = this.now();
    this.touchAncestors(node);
    return { ok: true, state: meta(node) };
  }

  async chain(tenant: string, id: string, options: ChainOptions = {}): Promise<StateChain> {
    const leaf = options.visibleOnly === false ? this.nodes.get(id) : this.visible(tenant, id);
    if (!leaf || leaf.tenant !== tenant) return { ok: false, reason: "not_found" };
    leaf.lastUsed = this.now();
    this.touchAncestors(leaf);
    const path: Node[] = [];
    for (let n: Node | undefined = leaf; n; n = n.parentId ? this.nodes.get(n.parentId) : undefined) path.push(n);
    path.reverse();
    const image = this.options.image();
    const envelopes = new Map<string, Buffer>();
    for (const node of path) {
      if (options.need && !options.need(node.id)) continue;
      const problem = envelopeProblem(node.envelope, image);
      if (problem) return { ok: false, reason: "incompatible", stateId: node.id, error: problem };
      envelopes.set(node.id, node.envelope);
    }
    return { ok: true, state: meta(leaf), ids: path.map((n) => n.id), envelopes };
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    const node = this.visible(tenant, id);
    if (!node) return false;
    this.hide(node);
    return true;
  }

  onForget(listener: (id: string) => void): void {
    this.forgetListeners.push(listener);
  }

  stats(): { states: number; bytes: number } {
    return { states: this.nodes.size, bytes: this.totalBytes };
  }

  start(): void {
    this.sweeper ??= setInterval(() => this.expire(), Math.min(this.options.ttlMs, 30_000));
    this.sweeper.unref();
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Visible, this tenant's, and not past its TTL (a state past it is hidden on the way). */
  private visible(tenant: string, id: string): Node | undefined {
    const node = this.nodes.get(id);
    if (!node || node.hidden || node.tenant !== tenant) return undefined;
    if (this.now() - node.lastUsed > this.options.ttlMs) {
      this.hide(node);
      return undefined;
    }
    return node;
  }

  /** Using a state uses its ancestors: they are never older than their children. */
  private touchAncestors(node: Node): void {
    for (let p = node.parentId ? this.nodes.get(node.parentId) : undefined; p; p = p.parentId ? this.nodes.get(p.parentId) : undefined) {
      p.lastUsed = node.lastUsed;
    }
  }

  private hide(node: Node): void {
    node.hidden = true;
    this.dropIfUnneeded(node);
  }

  /** Removes a hidden leaf, then its hidden ancestors that became leaves. */
  private dropIfUnneeded(node: Node): void {
    let current: Node | undefined = node;
    while (current && current.hidden && current.children.size === 0) {
      this.nodes.delete(current.id);
      this.totalBytes -= current.envelope.length;
      for (const listener of this.forgetListeners) listener(current.id);
      const parent: Node | undefined = current.parentId ? this.nodes.get(current.parentId) : undefined;
      parent?.children.delete(current.id);
      current = parent;
    }
  }

  private expire(): void {
    const now = this.now();
    for (const node of [...this.nodes.values()]) {
      if (!node.hidden && now - node.lastUsed > this.options.ttlMs) this.hide(node);
    }
  }

  // Least recently used leaves go first; never the state just added.
  private evictOverBudget(keep: string): void {
    while (this.totalBytes > this.options.maxBytes) {
      let victim: Node | undefined;
      for (const n of this.nodes.values()) {
        if (n.children.size > 0 || n.id === keep) continue;
        if (!victim || n.lastUsed < victim.lastUsed) victim = n;
      }
      if (!victim) return;
      this.hide(victim);
    }
  }
}

function meta(node: Node): StateMeta {
  return {
    id: node.id,
    tenant: node.tenant,
    parentId: node.parentId,
    depth: node.depth,
    bytes: node.envelope.length,
    createdAt: node.createdAt,
    children: node.children.size,
    image: node.image,
  };
}
