// Kept states as the call path and the routes use them, the same in both modes: a backend
// (this process's memory, or Redis shared by a cluster) for where they live, Placement for
// which executor holds which. Backend outcomes become the API's typed errors here:
// `state_not_found` (saying when an ancestor is gone), `state_incompatible` (another image or
// format, never loaded), `unavailable` (Redis cannot be reached).
import type { ExecutorProcess } from "../../../../runtime/src/host/executor-process.ts";
import type { Job, StateBlob } from "../../../../runtime/src/protocol/messages.ts";
import { errors, type ArborError } from "../../errors.ts";
import { newStateId, ParentGoneError, StateStoreUnavailableError, type ChainOptions, type StateBackend, type StateMeta, type StateMiss } from "./backend.ts";
import { Placement, type BaseState } from "./placement.ts";
import type { StateEnvelopeError } from "../../../../runtime/src/protocol/state-envelope.ts";

/** Seconds a client should wait before retrying when Redis cannot be reached. */
const STORE_RETRY_SECONDS = 1;

export class StateService {
  readonly placement: Placement;

  constructor(
    readonly backend: StateBackend,
    image: () => string,
    /** What each executor may hold of states before it drops all but the chain it runs on. */
    maxHeldBytes: number,
  ) {
    this.placement = new Placement(backend, image, maxHeldBytes);
  }

  newId(): string {
    return newStateId();
  }

  /** A visible state of this tenant, ready to run on (its TTL and its ancestors' refreshed). */
  async open(tenant: string, id: string): Promise<BaseState> {
    return this.chain(tenant, id, { need: this.needed() });
  }

  /**
   * The same state again with every envelope of its chain, deleted or not (the executor a call
   * landed on joined after `open`, so it holds nothing the lookup skipped).
   */
  async reopen(base: BaseState): Promise<BaseState> {
    return this.chain(base.tenant, base.state.id, { visibleOnly: false });
  }

  /** A visible state's metadata (GET /v1/states/{id}). */
  async info(tenant: string, id: string): Promise<StateMeta> {
    const found = await this.use(() => this.backend.get(tenant, id));
    if (!found.ok) throw missing(id, found);
    return found.state;
  }

  async delete(tenant: string, id: string): Promise<void> {
    if (!(await this.use(() => this.backend.delete(tenant, id)))) throw errors.stateNotFound(id);
  }

  /** Completes a job for the executor it landed on (see Placement.prepare). */
  prepare(ex: ExecutorProcess, job: Job, base?: BaseState): Job {
    return this.placement.prepare(ex, job, base);
  }

  /**
   * Keeps the checkpoint a call made on `ex`. Undefined when its parent is gone by now (the
   * child, a diff against it, cannot be kept: the executor drops it with its next job).
   */
  async keep(ex: ExecutorProcess | undefined, tenant: string, made: StateBlob): Promise<StateMeta | undefined> {
    try {
      const state = await this.use(() => this.backend.add(tenant, made));
      if (ex) this.placement.madeOn(ex, state.id, state.bytes);
      return state;
    } catch (err) {
      if (ex) this.placement.dropOn(ex, made.id);
      if (err instanceof ParentGoneError) return undefined;
      throw err;
    }
  }

  stats(): { states: number; bytes: number } {
    return this.backend.stats();
  }

  start(): void {
    this.backend.start();
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  private async chain(tenant: string, id: string, options: ChainOptions): Promise<BaseState> {
    const chain = await this.use(() => this.backend.chain(tenant, id, options));
    if (!chain.ok) throw chain.reason === "incompatible" ? incompatible(chain.stateId, chain.error) : missing(id, chain);
    return { tenant, state: chain.state, ids: chain.ids, envelopes: chain.envelopes };
  }

  /**
   * In memory mode every envelope is at hand (taking it costs nothing); in redis mode only the
   * states some executor lacks are fetched.
   */
  private needed(): ((id: string) => boolean) | undefined {
    return this.backend.kind === "memory" ? undefined : (id) => !this.placement.heldEverywhere(id);
  }

  private async use<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof StateStoreUnavailableError) {
        throw errors.unavailable(STORE_RETRY_SECONDS, "The state store cannot be reached; retry shortly (calls without states are not affected).", {
          component: "state_store",
        });
      }
      throw err;
    }
  }
}

function missing(id: string, miss: StateMiss): ArborError {
  return miss.reason === "ancestor_gone" ? errors.stateAncestorGone(id, miss.ancestor) : errors.stateNotFound(id);
}

function incompatible(id: string, error: StateEnvelopeError): ArborError {
  return errors.stateIncompatible(id, { problem: error.problem, found: error.found, expected: error.expected }, error.message);
}
