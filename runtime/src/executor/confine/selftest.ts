// Test-only: when the daemon's environment has ARBOR_CONFINE_SELFTEST=<dir>:<port>:<pid>[:<file>],
// each executor tries, from inside its confinement, what every layer should stop (write a file in
// <dir>, connect to 127.0.0.1:<port>, signal <pid>, fork, exec, read a host file: <file>, by
// default /etc/hostname) and prints the errnos to stderr as one JSON line, before and after
// seccomp. The tests read that line and check the host side (no file, no connection, the daemon
// alive).
import { writeFileSync, readFileSync } from "node:fs";
import type { ConfineAddon } from "../../addons/confine.ts";

export const SELFTEST_MARK = "arbor-confine-selftest ";

export interface SelfTestReport {
  stage: "before_seccomp" | "after_seccomp";
  uid: number;
  /** errno of open(O_WRONLY|O_CREAT) at the native level (bypasses Node's permission model). */
  native_write: number;
  /** errno of open(O_RDONLY) on a host file outside the allowed paths. */
  native_read: number;
  /** The host file both reads tried. */
  read_path: string;
  connect: number;
  kill_parent: number;
  fork: number;
  /** Only probed after seccomp (before it, a working exec would replace the executor). */
  exec: number | null;
  /** Node's permission model: the error code of fs.writeFileSync / fs.readFileSync. */
  node_write: string;
  node_read: string;
}

function nodeError(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    return String((e as NodeJS.ErrnoException).code ?? e);
  }
}

export function selfTest(addon: ConfineAddon, stage: SelfTestReport["stage"]): void {
  const spec = process.env.ARBOR_CONFINE_SELFTEST;
  if (!spec) return;
  const [dir = "/tmp", port = "1", pid = "1", readPath = "/etc/hostname"] = spec.split(":");
  const report: SelfTestReport = {
    stage,
    uid: addon.probeUid(),
    native_write: addon.probeOpen(`${dir}/native-${stage}`, true),
    native_read: addon.probeOpen(readPath, false),
    read_path: readPath,
    connect: addon.probeConnect(Number(port)),
    kill_parent: addon.probeKill(Number(pid)),
    fork: addon.probeFork(),
    exec: stage === "after_seccomp" ? addon.probeExec() : null,
    node_write: nodeError(() => writeFileSync(`${dir}/node-${stage}`, "x")),
    node_read: nodeError(() => readFileSync(readPath)),
  };
  process.stderr.write(`${SELFTEST_MARK}${JSON.stringify(report)}\n`);
}
