// What the numbers were measured on, how busy the machine was, and process memory from /proc.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";

export interface Machine {
  cpus: number;
  cpu_model: string;
  mem_gib: number;
  kernel: string;
  node: string;
  pyodide: string;
  python3: string;
  thp: string;
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

export function describeMachine(pyodideVersion: string, python3: string): Machine {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model.trim() ?? "unknown",
    mem_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `Linux ${release()}`,
    node: process.version,
    pyodide: pyodideVersion,
    python3,
    thp: /\[(\w+)\]/.exec(read("/sys/kernel/mm/transparent_hugepage/enabled"))?.[1] ?? "unknown",
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpus} × ${m.cpu_model}, ${m.mem_gib} GiB, ${m.kernel}, Node ${m.node}, pyodide ${m.pyodide}, ${m.python3}, THP ${m.thp}`;
}

/** 1-, 5- and 15-minute load averages, rounded. */
export function load(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

/** A load average above the core count means other processes are competing for the CPUs. */
export function isBusy(l: number[]): boolean {
  return (l[0] ?? 0) > cpus().length;
}

/** The real interpreter behind `python3` (pyenv and similar put a shell-script shim on PATH). */
export function resolvePython3(): { path: string; version: string } | { error: string } {
  try {
    const out = execFileSync("python3", ["-c", "import sys, platform; print(sys.executable); print(platform.python_version())"], { encoding: "utf8" });
    const [path, version] = out.trim().split("\n");
    return { path: path!, version: `CPython ${version}` };
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0]! };
  }
}

export interface ProcMemory {
  /** Resident set size, MiB. */
  rss_mb: number;
  /** Proportional set size (shared pages divided among their sharers), MiB; null if unreadable. */
  pss_mb: number | null;
  /** Private (not shared with any process) pages, MiB. */
  private_mb: number | null;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

export function procMemory(pid: number): ProcMemory | null {
  const status = read(`/proc/${pid}/status`);
  const rss = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!rss) return null;
  const rollup = read(`/proc/${pid}/smaps_rollup`);
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup);
    return m ? Number(m[1]) : null;
  };
  const pss = field("Pss");
  const priv = field("Private_Clean") !== null ? (field("Private_Clean") ?? 0) + (field("Private_Dirty") ?? 0) : null;
  return { rss_mb: mb(Number(rss[1])), pss_mb: pss === null ? null : mb(pss), private_mb: priv === null ? null : mb(priv) };
}

/** CPU a process (or one of its threads) has used so far, in clock ticks (10 ms) from /proc. */
export function cpuTicks(pid: number, tid?: number | string): { user: number; system: number } {
  const stat = read(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`);
  // Fields after the command name, which may itself hold ") ": utime and stime are 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

/** Direct children of a process (from /proc/<pid>/task/<pid>/children, else a /proc scan). */
export function childPids(pid: number): number[] {
  const direct = read(`/proc/${pid}/task/${pid}/children`);
  if (direct) return direct.split(/\s+/).map(Number);
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === pid) out.push(Number(entry));
  }
  return out;
}

/** Memory of a process and its direct children (the daemon and its executors). */
export function treeMemory(pid: number): { self: ProcMemory | null; children: Array<{ pid: number } & ProcMemory> } {
  const children = childPids(pid)
    .map((c) => ({ pid: c, m: procMemory(c) }))
    .filter((c): c is { pid: number; m: ProcMemory } => c.m !== null)
    .map((c) => ({ pid: c.pid, ...c.m }));
  return { self: procMemory(pid), children };
}
