// One async interface for where kept states live: this process's memory (the embedded default,
// memory-backend.ts) or Redis shared by every daemon of a cluster (redis-backend.ts). Both keep
// a tree per tenant whose nodes are page diffs against their parent, store each blob in its
// envelope (format version + snapshot image, runtime/src/protocol/state-envelope.ts), and share
// the memory store's semantics: a parent is kept while it has children; a deleted parent
// disappears from the API at once and from storage with its last child; every use refreshes the
// TTL of the state and its ancestors.
import type { StateBlob } from "../../../../runtime/src/protocol/messages.ts";
import { checkState, StateEnvelopeError } from "../../../../runtime/src/protocol/state-envelope.ts";
import { randomIdBytes } from "../../util/random-id-bytes.ts";

/** What the API shows of a state, and what a call needs to run on it. */
export interface StateMeta {
  id: string;
  tenant: string;
  parentId: string | null;
  /** 1 for a state made from a fresh interpreter, parent's depth + 1 otherwise. */
  depth: number;
  /** What keeping it costs: its envelope (compressed page diff + filesystem delta). */
  bytes: number;
  createdAt: Date;
  /** Live states made from this one. */
  children: number;
  /** The snapshot image its pages were taken against. */
  image: string;
}

/** A state id is `st_` + 16 base64url chars; anything else names no state (and no key). */
export const STATE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function newStateId(): string {
  return `st_${randomIdBytes(12).toString("base64url")}`;
}

/** Why a state cannot be used. */
export type StateMiss =
  /** No such state for this tenant (never made, deleted, expired, evicted, or another tenant's). */
  | { ok: false; reason: "not_found" }
  /**
   * The state is stored but one of its ancestors is not (evicted from Redis, or expired there):
   * its pages are diffs against that ancestor, so it can never run again. The API answers
   * `state_not_found` and says which ancestor is gone.
   */
  | { ok: false; reason: "ancestor_gone"; ancestor: string };

export type StateLookup = { ok: true; state: StateMeta } | StateMiss;

export type StateChain =
  | {
      ok: true;
      /** The state itself (refreshed: using a state refreshes it and its ancestors). */
      state: StateMeta;
      /** The chain from the root down to the state. */
      ids: string[];
      /**
       * The envelopes of the chain's states that `need` asked for, checked to be of this
       * daemon's format version and snapshot image (decoded only when an executor gets them).
       */
      envelopes: Map<string, Buffer>;
    }
  | StateMiss
  /** A blob of the chain was taken against another snapshot image or in another format: never loaded. */
  | { ok: false; reason: "incompatible"; stateId: string; error: StateEnvelopeError };

export interface ChainOptions {
  /** Which states of the chain to return envelopes for (default: all). */
  need?: (id: string) => boolean;
  /** A deleted (hidden) state is not found (default true); false: a call that already found it finishes. */
  visibleOnly?: boolean;
}

/** Null when `envelope` was taken against `image` in this build's format; the reason otherwise. */
export function envelopeProblem(envelope: Buffer, image: string): StateEnvelopeError | null {
  try {
    checkState(envelope, image);
    return null;
  } catch (err) {
    if (err instanceof StateEnvelopeError) return err;
    throw err;
  }
}

/** The parent of a checkpoint is no longer stored: the child (a diff against it) cannot be kept. */
export class ParentGoneError extends Error {
  override readonly name = "ParentGoneError";
  constructor(readonly parentId: string) {
    super(`parent state ${parentId} is gone`);
  }
}

/** The store itself cannot be reached (Redis down): the call should be retried later (503). */
export class StateStoreUnavailableError extends Error {
  override readonly name = "StateStoreUnavailableError";
  constructor(cause: unknown) {
    super(`state store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface StateBackend {
  readonly kind: "memory" | "redis";

  /**
   * Keeps a checkpoint made by this tenant (its parent, if any, must still be stored: else
   * ParentGoneError). The blob is wrapped with this daemon's snapshot image.
   */
  add(tenant: string, blob: StateBlob): Promise<StateMeta>;

  /** A visible state of this tenant; refreshes the TTL of it and its ancestors. */
  get(tenant: string, id: string): Promise<StateLookup>;

  /**
   * What an executor needs to run on `id`: the chain from the root and the envelopes of the
   * states `need` names (executors already holding a state need not get it again). Refreshes
   * the TTL like get(). Envelopes of another image or format are refused, never returned.
   */
  chain(tenant: string, id: string, options?: ChainOptions): Promise<StateChain>;

  /** Hides the state from the API; false when there is no visible state to delete. */
  delete(tenant: string, id: string): Promise<boolean>;

  /** Called with the id of every state this daemon will not see again (executors may drop it). */
  onForget(listener: (id: string) => void): void;

  /** For metrics: states and bytes held by this process (the whole store in memory mode). */
  stats(): { states: number; bytes: number };

  /** Starts background upkeep (TTL sweeping). */
  start(): void;

  close(): Promise<void>;
}

export interface BackendOptions {
  ttlMs: number;
  /**
   * The snapshot image of this daemon's executors (ExecutorInfo.image). A function, since it is
   * known once the first executor has booted; every blob is stamped and checked with it.
   */
  image: () => string;
}
