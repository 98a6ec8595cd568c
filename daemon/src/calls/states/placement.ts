// Which executor holds which states, so a state's pages cross the pipe to an executor once,
// and executors drop what the store dropped. Keyed by the executor object: a replaced
// executor starts empty.
import type { ExecutorProcess } from "../../../../runtime/src/host/executor-process.ts";
import type { Job, StateBlob } from "../../../../runtime/src/protocol/messages.ts";
import type { StateStore } from "./store.ts";

export class Placement {
  private readonly held = new WeakMap<ExecutorProcess, Set<string>>();
  private readonly toForget = new WeakMap<ExecutorProcess, string[]>();
  private readonly executors = new Set<WeakRef<ExecutorProcess>>();

  constructor(private readonly store: StateStore) {
    store.onForget((id) => {
      for (const ref of this.executors) {
        const ex = ref.deref();
        if (!ex) {
          this.executors.delete(ref);
          continue;
        }
        if (this.held.get(ex)?.delete(id)) {
          const list = this.toForget.get(ex) ?? [];
          list.push(id);
          this.toForget.set(ex, list);
        }
      }
    });
  }

  /** Completes a job for the executor it landed on: the states it lacks, the ones to drop. */
  prepare(ex: ExecutorProcess, job: Job): Job {
    let held = this.held.get(ex);
    if (!held) {
      held = new Set();
      this.held.set(ex, held);
      this.executors.add(new WeakRef(ex));
    }
    const out: Job = { ...job };
    const forget = this.toForget.get(ex);
    if (forget?.length) {
      out.forget_states = forget;
      this.toForget.delete(ex);
    }
    if (job.base_state) {
      const missing: StateBlob[] = [];
      for (const state of this.store.chain(job.base_state)) {
        if (!held.has(state.id)) missing.push(state.blob);
      }
      if (missing.length) out.load_states = missing;
      for (const blob of missing) held.add(blob.id);
    }
    return out;
  }

  /** The executor made a state the store did not keep: it forgets it with its next job. */
  dropOn(ex: ExecutorProcess, id: string): void {
    const list = this.toForget.get(ex) ?? [];
    list.push(id);
    this.toForget.set(ex, list);
  }

  /** The executor made (and keeps) this state itself. */
  madeOn(ex: ExecutorProcess, id: string): void {
    this.held.get(ex)?.add(id);
  }
}
