// The WASI imports a tool instance gets: preview2-shim's Node implementation, narrowed.
//  - filesystem: one preopened directory, "/", only when the call has the files capability (the
//    tenant's files.root); every mutating operation answers `read-only` unless the call may write
//    (manifest filesystem_write and the tenant's files.write). The shim itself refuses absolute
//    paths, `..` above the preopen and symlinks that leave it.
//  - environment: empty (no variables, no arguments, no working directory).
//  - exit: ends the call as an error instead of the process.
//  - stdout/stderr: the shim writes them to this thread's process.stdout/stderr, which
//    capture.ts redirects into the call's capped buffers.
//  - outgoing HTTP: not the shim's (it would open connections from here); wasi-http.ts hands each
//    request to the daemon, which performs it under the call's web_fetch policy.
//  - clocks, random, streams, poll: the shim's, unchanged. Sockets are never given.
import * as shim from "@bytecodealliance/preview2-shim";
import type { CallFs } from "./protocol.ts";
import * as http from "./wasi-http.ts";

/** A tool called wasi:cli/exit: the call ends as an error (the tool host keeps running). */
export class ToolExit extends Error {
  constructor(readonly code: number) {
    super(`the tool called exit(${code})`);
  }
}

let writable = false;

/** Before each call: the preopen (or none) and whether it may be written. */
export function setCallFs(fs: CallFs | null): void {
  // The package's types describe its browser build; in Node, preopens map to host paths.
  (shim.filesystem as unknown as { _setPreopens(p: Record<string, string>): void })._setPreopens(fs ? { "/": fs.root } : {});
  writable = fs?.write === true;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

// Methods that change the filesystem; wrapped once per thread, checked per call.
const MUTATING = [
  "writeViaStream",
  "appendViaStream",
  "write",
  "setSize",
  "setTimes",
  "setTimesAt",
  "createDirectoryAt",
  "linkAt",
  "removeDirectoryAt",
  "renameAt",
  "symlinkAt",
  "unlinkFileAt",
] as const;

function guardWrites(): void {
  const proto = shim.filesystem.types.Descriptor.prototype as unknown as Record<string, Method>;
  for (const name of MUTATING) {
    const original = proto[name];
    if (typeof original !== "function") continue;
    proto[name] = function guarded(this: unknown, ...args: unknown[]) {
      if (!writable) throw "read-only";
      return original.apply(this, args);
    };
  }
  const openAt = proto.openAt!;
  proto.openAt = function guardedOpenAt(this: unknown, ...args: unknown[]) {
    const open = (args[2] ?? {}) as { create?: boolean; truncate?: boolean };
    const flags = (args[3] ?? {}) as { write?: boolean; mutateDirectory?: boolean };
    if (!writable && (open.create || open.truncate || flags.write || flags.mutateDirectory)) throw "read-only";
    return openAt.apply(this, args);
  };
}

const environment = {
  getEnvironment: (): [string, string][] => [],
  getArguments: (): string[] => [],
  initialCwd: (): string | undefined => undefined,
};

const exit = {
  exit(status: { tag: string }): never {
    throw new ToolExit(status.tag === "err" ? 1 : 0);
  },
  exitWithCode(code: number): never {
    throw new ToolExit(code);
  },
};

/** The import object for jco's `instantiate`, keyed by unversioned interface name. */
export function wasiImports(): Record<string, unknown> {
  guardWrites();
  const { cli, clocks, filesystem, io, random } = shim;
  return {
    "wasi:io/error": io.error,
    "wasi:io/poll": io.poll,
    "wasi:io/streams": io.streams,
    "wasi:clocks/monotonic-clock": clocks.monotonicClock,
    "wasi:clocks/wall-clock": clocks.wallClock,
    "wasi:random/random": random.random,
    "wasi:random/insecure": random.insecure,
    "wasi:random/insecure-seed": random.insecureSeed,
    "wasi:cli/environment": environment,
    "wasi:cli/exit": exit,
    "wasi:cli/stdin": cli.stdin,
    "wasi:cli/stdout": cli.stdout,
    "wasi:cli/stderr": cli.stderr,
    "wasi:cli/terminal-input": cli.terminalInput,
    "wasi:cli/terminal-output": cli.terminalOutput,
    "wasi:cli/terminal-stdin": cli.terminalStdin,
    "wasi:cli/terminal-stdout": cli.terminalStdout,
    "wasi:cli/terminal-stderr": cli.terminalStderr,
    "wasi:filesystem/types": filesystem.types,
    "wasi:filesystem/preopens": filesystem.preopens,
    "wasi:http/types": http.types,
    "wasi:http/outgoing-handler": http.outgoingHandler,
  };
}
