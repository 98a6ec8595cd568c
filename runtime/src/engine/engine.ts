// What an interpreter engine is, as the executor sees it: a language runtime compiled to
// WebAssembly, booted once, locked down and warmed up, whose whole state is its linear memory
// plus a known set of things outside it that it can put back itself. Everything above this
// interface (the restore strategies, execute.ts, the state cache, the executor loop) knows
// nothing else of it; Pyodide is one implementation (engine/pyodide/), and a second engine is a
// new folder beside it.
import type { FsDelta } from "../protocol/messages.ts";

export interface EngineInfo {
  name: string;
  version: string;
}

/** What the engine's runner reads for one cell. */
export interface CellJob {
  code: string;
  stdin?: string;
  seed?: number | null;
}

/** What the executor observed about one cell: output counted where it was written, and the runner's report. */
export interface CellObservation {
  stdout: string;
  stderr: string;
  /** Bytes of stdout + stderr kept (at most the budget). */
  outputBytes: number;
  /** When the output budget was hit (performance.now()), or null. */
  truncatedAt: number | null;
  /** The runner's report as it wrote it (advisory: see executor/outcome.ts), or null. */
  report: string | null;
}

/** The sandbox filesystem, as the executor moves files in and out and states carry it. */
export interface EngineFiles {
  /** The directory calls start in and input files land in. */
  readonly workspace: string;
  write(path: string, bytes: Uint8Array): void;
  /** Every regular file under `dir`, recursively, with its bytes. */
  list(dir: string): Array<{ path: string; bytes: Uint8Array }>;
  /** What differs from the snapshot's tree now (a checkpoint's files). */
  diff(): FsDelta;
  /** Makes the tree (equal to the snapshot's) match a state's delta. */
  apply(delta: FsDelta): void;
  /** Puts the tree back to the snapshot's, walking all of it. */
  reset(): void;
}

/** The state outside linear memory, hashed per part (see engine/pyodide/fingerprint.ts). */
export interface Fingerprint {
  hash: string;
  parts: Record<string, string>;
}

export interface Engine {
  readonly info: EngineInfo;
  /** Its linear memory: what the restore strategies put back. */
  readonly memory: WebAssembly.Memory;
  /** Shared with the call guard's deadline thread: raising it interrupts the running cell. */
  readonly interrupt: Int32Array;
  /** Where the sandbox's host calls go (bytes in, bytes out); set by the executor. */
  readonly hostTransport: { current: ((request: Uint8Array) => Uint8Array) | null };
  readonly files: EngineFiles;
  /** How long the boot took, and what the lockdown did (for the executor's hello). */
  readonly bootMs: number;
  readonly lockdown: Record<string, unknown>;

  /** Per-call memory cap; memoryRefusedAt is when a growth past it was refused, or null. */
  beginCall(memoryBytes: number): void;
  readonly memoryRefusedAt: number | null;
  /**
   * Prepares one cell (its job, stdin and output budget) and returns the function that runs it,
   * for the executor to call under its call guard; it throws when the cell trapped or was
   * terminated. endCell() then gives what was observed, whatever happened.
   */
  startCell(job: CellJob, maxOutputBytes: number): () => void;
  endCell(): CellObservation;
  /** Whether what runCell threw is the interpreter trapping (vs a termination or a runner error). */
  isTrap(thrown: unknown): boolean;
  /** A trap's message for an answer (no host detail added by the engine). */
  describeTrap(thrown: unknown): string;

  /** Puts everything outside linear memory back to the snapshot's (files only when touched). */
  resetOutsideMemory(): { filesChanged: boolean };
  /** After a call stopped mid-way: repairs what the engine knows can be left half-done. */
  repairAfterStop(): void;
  /**
   * Grows linear memory to at least `bytes` between calls (entering a state whose memory grew
   * where it was made) and brings the engine's own views of the memory up to date. The caller
   * checks the call's cap first (StateCache.enter); past it the growth is refused.
   */
  growMemory(bytes: number): void;
  fingerprint(): Fingerprint;
  /** Table slots it grew past the snapshot and cannot shrink (hygiene: the executor retires). */
  readonly tableGrowth: number;
  /** Live JS timers, once the executor counts them. */
  liveTimers: () => number;
}
