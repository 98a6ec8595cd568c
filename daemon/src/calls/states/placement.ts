// Which executor holds which states, so a state's pages cross the pipe to an executor once,
// and executors drop what the store dropped. Keyed by the executor object: a replaced
// executor starts empty. What an executor holds is bounded (`maxHeldBytes`): past it, the
// executor drops every state but the chain of the call it is about to run.
import type { ExecutorProcess } from "../../../../runtime/src/host/executor-process.ts";
import type { Job, StateBlob } from "../../../../runtime/src/protocol/messages.ts";
import { decodeState, StateEnvelopeError } from "../../../../runtime/src/protocol/state-envelope.ts";
import { errors } from "../../errors.ts";
import type { StateBackend, StateMeta } from "./backend.ts";

/** A state a call runs on, as looked up before the call was scheduled. */
export interface BaseState {
  tenant: string;
  state: StateMeta;
  /** Its chain, root first. */
  ids: string[];
  /** The envelopes fetched for executors that lack them (states every executor held were skipped). */
  envelopes: Map<string, Buffer>;
}

/** The executor a call landed on lacks a state whose envelope was not fetched (it is new). */
export class MissingEnvelopeError extends Error {
  override readonly name = "MissingEnvelopeError";
  constructor(readonly stateId: string) {
    super(`the envelope of state ${stateId} was not fetched`);
  }
}

export class Placement {
  private readonly held = new WeakMap<ExecutorProcess, Held>();
  private readonly toForget = new WeakMap<ExecutorProcess, string[]>();
  private readonly executors = new Set<WeakRef<ExecutorProcess>>();

  constructor(
    backend: Pick<StateBackend, "onForget">,
    private readonly image: () => string,
    private readonly maxHeldBytes: number = Number.POSITIVE_INFINITY,
  ) {
    backend.onForget((id) => {
      for (const ex of this.live()) {
        if (this.held.get(ex)?.delete(id)) this.forgetOn(ex, [id]);
      }
    });
  }

  /** True when every executor this daemon has run states on holds `id` (its envelope is not needed). */
  heldEverywhere(id: string): boolean {
    let any = false;
    for (const ex of this.live()) {
      if (!ex.alive) continue;
      if (!this.held.get(ex)?.has(id)) return false;
      any = true;
    }
    return any;
  }

  /**
   * Completes a job for the executor it landed on: the states of `base`'s chain it lacks (decoded
   * now, refused with `state_incompatible` if they are not this daemon's image), the ones to drop.
   * @throws MissingEnvelopeError when the executor lacks a state whose envelope was not fetched.
   */
  prepare(ex: ExecutorProcess, job: Job, base?: BaseState): Job {
    const held = this.heldBy(ex);
    const out: Job = { ...job };
    if (base) {
      const load: StateBlob[] = [];
      let adding = 0;
      for (const id of base.ids) {
        if (held.has(id)) continue;
        const envelope = base.envelopes.get(id);
        if (!envelope) throw new MissingEnvelopeError(id);
        load.push(this.decode(id, envelope));
        adding += envelope.length;
      }
      if (adding > 0 && held.bytes + adding > this.maxHeldBytes) {
        const keep = new Set(base.ids);
        const drop = [...held.ids()].filter((id) => !keep.has(id));
        for (const id of drop) held.delete(id);
        this.forgetOn(ex, drop);
      }
      if (load.length) out.load_states = load;
      for (const blob of load) held.set(blob.id, base.envelopes.get(blob.id)!.length);
    }
    const forget = this.toForget.get(ex);
    if (forget?.length) {
      out.forget_states = forget;
      this.toForget.delete(ex);
    }
    return out;
  }

  /** The executor made a state the store did not keep: it forgets it with its next job. */
  dropOn(ex: ExecutorProcess, id: string): void {
    this.forgetOn(ex, [id]);
  }

  /** The executor made (and keeps) this state itself. */
  madeOn(ex: ExecutorProcess, id: string, bytes: number): void {
    this.heldBy(ex).set(id, bytes);
  }

  private decode(id: string, envelope: Buffer): StateBlob {
    try {
      return decodeState(envelope, this.image());
    } catch (err) {
      if (err instanceof StateEnvelopeError) {
        throw errors.stateIncompatible(id, { problem: err.problem, found: err.found, expected: err.expected }, err.message);
      }
      throw err;
    }
  }

  private heldBy(ex: ExecutorProcess): Held {
    let held = this.held.get(ex);
    if (!held) {
      held = new Held();
      this.held.set(ex, held);
      this.executors.add(new WeakRef(ex));
    }
    return held;
  }

  private forgetOn(ex: ExecutorProcess, ids: string[]): void {
    if (!ids.length) return;
    const list = this.toForget.get(ex) ?? [];
    list.push(...ids);
    this.toForget.set(ex, list);
  }

  private *live(): Generator<ExecutorProcess> {
    for (const ref of this.executors) {
      const ex = ref.deref();
      if (ex) yield ex;
      else this.executors.delete(ref);
    }
  }
}

/** The states one executor holds: id → the bytes of its envelope, and their sum. */
class Held {
  private readonly sizes = new Map<string, number>();
  bytes = 0;

  has(id: string): boolean {
    return this.sizes.has(id);
  }

  set(id: string, bytes: number): void {
    this.delete(id);
    this.sizes.set(id, bytes);
    this.bytes += bytes;
  }

  delete(id: string): boolean {
    const bytes = this.sizes.get(id);
    if (bytes === undefined) return false;
    this.sizes.delete(id);
    this.bytes -= bytes;
    return true;
  }

  ids(): IterableIterator<string> {
    return this.sizes.keys();
  }
}
