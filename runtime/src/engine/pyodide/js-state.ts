// Interpreter state that lives outside linear memory but must return to the snapshot with it:
// the shadow-stack pointer global, Pyodide's JS-reference (hiwire) table and the Maps it holds
// (the dedup map), the wasm function table length, and Pyodide's fatal-error latch.

interface PyodideModule {
  __hiwire_get(index: number): unknown;
  __hiwire_set(index: number, value: unknown): number;
  wasmTable?: WebAssembly.Table;
  PIPEFS?: { nextname?: { current?: number } };
  SOCKFS?: { nextname?: { current?: number } };
}

interface PyodideApi {
  fatal_error: (e: unknown) => never;
  maybe_fatal_error: (e: unknown) => void;
}

/** Thrown in place of Pyodide's fatal error: the call is lost, the interpreter is not. */
export class InterpreterTrap extends Error {
  constructor(override readonly cause: unknown) {
    super(`interpreter trap: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface JsRestoreStats {
  hiwireSlotsReset: number;
  tableSlotsCleared: number;
}

/** Name counters of the pipe and socket filesystems: "pipe[N]" shows in /proc/self/fd. */
function nameCounters(module: PyodideModule): Array<{ current?: number }> {
  return [module.PIPEFS?.nextname, module.SOCKFS?.nextname].filter((c): c is { current?: number } => typeof c === "function" || typeof c === "object");
}

export class JsState {
  private readonly stackPointerValue: number;
  private readonly counters: Array<{ holder: { current?: number }; value: number | undefined }>;
  private readonly hiwire: unknown[];
  private readonly mapEntries = new Map<Map<unknown, unknown>, Array<[unknown, unknown]>>();
  private readonly tableLength: number;

  constructor(
    private readonly module: PyodideModule,
    private readonly stackPointer: WebAssembly.Global,
  ) {
    this.stackPointerValue = stackPointer.value as number;
    this.hiwire = [];
    for (let i = 0; ; i++) {
      let value: unknown;
      try {
        value = module.__hiwire_get(i);
      } catch {
        break; // past the end of the table
      }
      this.hiwire.push(value);
      if (value instanceof Map) this.mapEntries.set(value, [...value.entries()]);
    }
    this.hiwireLength = this.hiwire.length;
    this.tableLength = module.wasmTable?.length ?? 0;
    this.counters = nameCounters(module).map((holder) => ({ holder, value: holder.current }));
  }

  /** Hiwire table length seen by the last restore (the table never shrinks). */
  private hiwireLength: number;

  /**
   * How far the hiwire and function tables extended past the snapshot's at the last restore.
   * Read from what restore() already walked, so the per-call hygiene check probes nothing.
   */
  growth(): number {
    const table = this.module.wasmTable?.length ?? this.tableLength;
    return Math.max(0, this.hiwireLength - this.hiwire.length) + (table - this.tableLength);
  }

  get hiwireSlots(): number {
    return this.hiwire.length;
  }

  restore(): JsRestoreStats {
    const stats: JsRestoreStats = { hiwireSlotsReset: 0, tableSlotsCleared: 0 };
    this.stackPointer.value = this.stackPointerValue;
    const m = this.module;
    for (let i = 0; i < this.hiwire.length; i++) {
      if (m.__hiwire_get(i) !== this.hiwire[i]) {
        m.__hiwire_set(i, this.hiwire[i]);
        stats.hiwireSlotsReset++;
      }
    }
    // Slots past the snapshot's: drop the references so nothing of the call stays reachable.
    const end = this.hiwireEnd();
    for (let i = this.hiwire.length; i < end; i++) {
      const value = m.__hiwire_get(i);
      if (value !== null && value !== undefined) {
        m.__hiwire_set(i, null);
        stats.hiwireSlotsReset++;
      }
    }
    this.hiwireLength = end;
    for (const [map, entries] of this.mapEntries) {
      if (map.size !== entries.length) {
        map.clear();
        for (const [k, v] of entries) map.set(k, v);
      }
    }
    for (const c of this.counters) if (c.holder.current !== c.value) c.holder.current = c.value;
    // Function-table entries added by the call (e.g. ctypes callbacks) must not survive.
    const table = m.wasmTable;
    if (table && table.length > this.tableLength) {
      for (let i = this.tableLength; i < table.length; i++) {
        if (table.get(i) !== null) {
          table.set(i, null);
          stats.tableSlotsCleared++;
        }
      }
    }
    return stats;
  }

  /**
   * The hiwire table's length now. Reading past its end traps, and every trap builds a
   * RuntimeError with a stack trace (4 µs in a bare loop, more under the executor's deeper stack;
   * ~4 % of an executor's CPU on fork branches when every reset probed that way:
   * spikes/25-cpu-per-branch). Pyodide's `_hiwire_set` answers -1 for an index past the end
   * instead (one exactly at the end grows the table by that slot), so one set of null one past
   * the last length seen tells whether the call grew the table; only then is the new end found
   * by reading up to the trap. (-1 also answers a grow that failed, which needs V8's limit of
   * 10,000,000 entries: the table declares no maximum, and an executor whose tables grew by over
   * 1,024 slots retires.)
   */
  private hiwireEnd(): number {
    const m = this.module;
    const seen = this.hiwireLength;
    if (m.__hiwire_set(seen + 1, null) === -1) return seen;
    for (let i = seen; ; i++) {
      try {
        m.__hiwire_get(i);
      } catch {
        return i;
      }
    }
  }

  /** Turns Pyodide's one-way fatal-error latch into an exception the executor recovers from by restoring. */
  static disarmFatalLatch(api: PyodideApi): void {
    api.fatal_error = (e: unknown): never => {
      throw e instanceof InterpreterTrap ? e : new InterpreterTrap(e);
    };
    api.maybe_fatal_error = (e: unknown) => {
      if (e === "unwind") return;
      api.fatal_error(e);
    };
  }
}
