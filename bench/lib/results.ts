// The shape of bench/results/<date>.json and the run plan every section receives.
import type { Budget, Summary, Timed } from "./stats.ts";
import type { Machine, ProcMemory } from "./machine.ts";
import type { ClusterReport } from "../sections/cluster-report.ts";
import type { ComputeReport } from "../sections/compute-report.ts";
import type { CorpusReport } from "../sections/workloads-report.ts";

export interface Plan {
  quick: boolean;
  workloads: string[];
  /** Ordinary rows (fast calls). */
  row: Budget;
  /** `loadPyodide()` per call: a fixed, small n (≈2 s a call). */
  freshN: number;
  /** Workloads the fresh-load rows run (all of them in a full run). */
  freshWorkloads: string[];
  /** `loadPyodide` from a snapshot per call (≈0.3 s a call). */
  snapshot: Budget;
  /** `python3 -c` per call. */
  subprocess: Budget;
  /** HTTP rows at concurrency > 1. */
  concurrent: Budget;
  concurrency: number[];
  /** Branches per fork request. */
  branches: number[];
  fork: Budget;
  /** States created to measure memory per stored state. */
  statesForMemory: number;
  /** Rounds of 250 checkpointing branches (children of the branching state) for memory per child. */
  childRounds: number;
  /** Fork requests (8 checkpointing branches each) of the tree walk, each from a different state. */
  treeWalkRequests: number;
  workers: number;
}

export interface Row extends Timed {
  section: "pyodide" | "executor" | "subprocess" | "http";
  /** Stable id, e.g. "executor/dirty". */
  row: string;
  workload: string;
  concurrency?: number;
  throughput_per_s?: number;
  /** Filled in by run.ts: p50 ÷ the first row's p50 for the same workload. */
  ratio_p50?: number;
}

export interface Skipped {
  row: string;
  reason: string;
}

export interface ForkRow extends Timed {
  branches: number;
  /** Branches (fresh copies of the state) completed per second. */
  forks_per_s: number;
  requests_per_s: number;
  /** One branch's own cost as its executor measured it (restore_ms + exec_ms of each result). */
  branch_p50_ms?: number;
  branch_p99_ms?: number;
  /** Forks/s of each of the first fork requests at this K (before the measured ones; from boot when K is the first). */
  first_forks_per_s?: number[];
}

/** First fork requests of daemons fresh from boot, one config (bench/sections/fresh-forks.ts). */
export interface FreshForks {
  label: string;
  config: Record<string, unknown>;
  /** Spawn to ready (listening), per round. */
  startup_ms: number[];
  /** Per round: forks/s of each of the first fork requests at K = 256 after the state was made. */
  first_forks_per_s: number[][];
}

export interface Branching {
  available: boolean;
  reason?: string;
  setup_ms?: number;
  state_eval?: Timed;
  forks: ForkRow[];
  /** Fresh daemons' first fork requests, with and without the startup warm-up. */
  fresh?: FreshForks[];
  /** Fork requests that each start from a different state of a growing tree (bench/sections/tree-walk.ts). */
  tree_walk?: TreeWalk;
  /** `bytes` from GET /v1/states/{id}, per state. */
  state_bytes?: number;
  /** Growth of the daemon's process tree RSS per stored state. */
  rss_per_state_mb?: number;
  states_measured?: number;
  /** One-variable children of the state, made by checkpointing fork branches (an RL tree's nodes). */
  children_measured?: number;
  child_bytes?: number;
  rss_per_child_kb?: number;
}

export interface TreeWalk {
  requests: number;
  branches: number;
  /** States the walk made (deleted afterwards). */
  states: number;
  /** Branches per second of fork-request time. */
  forks_per_s: number;
  /** Per fork request. */
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  /** Per branch, from each result's timing: p50 of restore_ms, exec_ms and checkpoint_ms (absent in runs before it existed). */
  branch_p50_ms?: { restore: number; exec: number; checkpoint: number };
}

export interface MemoryReport {
  /** Per executor process (one worker = one interpreter), per restore strategy. */
  executors: Array<{ strategy: string; idle: ProcMemory | null; after_calls: ProcMemory | null; baseline_mb: number; linear_memory_mb: number }>;
  /** The daemon process alone (HTTP section), and its executors. */
  daemon?: { self: ProcMemory | null; executors: ProcMemory[] };
  /** Node + one plain Pyodide instance, and the cost of each further instance in the same process. */
  pyodide?: { node_baseline_mb: number; one_instance_mb: number; per_extra_instance_mb: number; instances_measured: number; linear_memory_mb: number; snapshot_mb: number };
  /** Peak RSS of one `python3 -c 'print(2+2)'`. */
  python3_peak_rss_mb?: number;
}

export interface Results {
  date: string;
  command: string;
  git: { commit: string; uncommitted: string[] };
  quick: boolean;
  machine: Machine;
  load: { start: number[]; end: number[]; sections: Record<string, number[]> };
  warnings: string[];
  duration_s: number;
  plan: Plan;
  workloads: Array<{ name: string; title: string }>;
  rows: Row[];
  skipped: Skipped[];
  /** One tiny frame to the executor and back (no Python): the protocol's own cost. */
  ping?: Summary;
  branching: Branching;
  memory: MemoryReport;
  /** The realistic corpus (section "workloads"). */
  corpus?: CorpusReport;
  /** Interpreter speed against native python3 (section "compute"). */
  compute?: ComputeReport;
  /** 1 vs 3 daemons behind HAProxy, cold vs warm fork of a remote state (section "cluster"). */
  cluster?: ClusterReport;
}

/** What a section child process prints as its last stdout line. */
export const RESULT_PREFIX = "@@bench-result ";
