// The byte channels between the executor and the Python runner of one call, as device files in
// the in-memory filesystem (like /dev/arbor_host for host calls). Nothing but bytes crosses: the
// runner never holds a JS object, and what it says about its output is never believed — the
// output is counted here, where it is written.
//
//   /dev/arbor_call    read: the job (JSON), at the offset asked for; write: the runner's report
//                      (JSON), capped. The runner opens it once at boot and keeps it open (the
//                      snapshot holds the fd): opening and closing it twice a call cost more
//                      than the rest of a trivial call's runner work (spikes/24-entropy-pool)
//   fd 0               /dev/arbor_stdin: the call's stdin bytes, then EOF
//   fd 1 / fd 2        /dev/arbor_stdout, /dev/arbor_stderr: captured and counted against the
//                      call's max_output_bytes; past it the rest is dropped, the call is marked
//                      truncated and Python is interrupted (it may catch that; the executor
//                      still answers output_limit)

import type { CellJob, CellObservation } from "../engine.ts";
import { completeUtf8Length } from "../../utf8.ts";

export const CALL_DEVICE = "/dev/arbor_call";
export const STDIN_DEVICE = "/dev/arbor_stdin";
export const STDOUT_DEVICE = "/dev/arbor_stdout";
export const STDERR_DEVICE = "/dev/arbor_stderr";

/** The interrupt buffer value Pyodide turns into KeyboardInterrupt (SIGINT). */
const SIGINT = 2;
const EIO = 29; // Emscripten errno numbers
const EFBIG = 22;

interface DeviceFs {
  makedev(major: number, minor: number): number;
  registerDevice(dev: number, ops: object): void;
  mkdev(path: string, mode: number, dev: number): unknown;
  open(path: string, flags: string | number): { fd: number };
  dupStream?(stream: unknown, fd: number): unknown;
  streams: unknown[];
  closeStream(fd: number): void;
  ErrnoError: new (errno: number) => Error;
}


/** One call's job and what comes back; reset by begin(). */
class CallState {
  job: Uint8Array = new Uint8Array(0);
  stdin: Uint8Array = new Uint8Array(0);
  limit = 0;
  used = 0;
  truncatedAt: number | null = null;
  readonly out: Uint8Array[] = [];
  readonly err: Uint8Array[] = [];
  report: Uint8Array[] = [];
  reportBytes = 0;
  reportCap = 0;
  reportRejected = false;
}

export class CallDevices {
  private readonly state = new CallState();
  private readonly decoder = new TextDecoder("utf-8");

  private constructor(private readonly interrupt: Int32Array) {}

  /**
   * Installs the devices and points fd 1 and fd 2 at the capture devices, before the snapshot.
   * `interrupt` is the interrupt buffer Pyodide polls (raised when the output limit is hit).
   */
  static install(fs: DeviceFs, interrupt: Int32Array): CallDevices {
    const devices = new CallDevices(interrupt);
    devices.register(fs, CALL_DEVICE, 1, devices.callOps(fs));
    devices.register(fs, STDOUT_DEVICE, 2, devices.outputOps(fs, "out"));
    devices.register(fs, STDERR_DEVICE, 3, devices.outputOps(fs, "err"));
    devices.register(fs, STDIN_DEVICE, 4, devices.stdinOps(fs));
    // Pyodide's own fd 0-2 talk to the host process's stdio: the call's devices take their
    // place. The old streams are dropped, not closed (closing the stdin one would fsync a host
    // fd, which the permission model refuses).
    for (const [fd, path, mode] of [[0, STDIN_DEVICE, "r"], [1, STDOUT_DEVICE, "w"], [2, STDERR_DEVICE, "w"]] as const) {
      if (fs.streams[fd]) fs.closeStream(fd);
      const stream = fs.open(path, mode);
      if (stream.fd !== fd) {
        // open() takes the lowest free fd, which is `fd` once the old stream is closed.
        throw new Error(`call devices: ${path} opened as fd ${stream.fd}, expected ${fd}`);
      }
    }
    return devices;
  }

  /** Starts a call: the job the runner will read, its stdin, and the output budget. */
  begin(job: Uint8Array, stdin: Uint8Array, maxOutputBytes: number): void {
    const s = this.state;
    s.job = job;
    s.stdin = stdin;
    s.limit = maxOutputBytes;
    s.used = 0;
    s.truncatedAt = null;
    s.out.length = 0;
    s.err.length = 0;
    s.report = [];
    s.reportBytes = 0;
    // A report holds the result (at most the output budget, JSON-escaped) and an error.
    s.reportCap = 8 * maxOutputBytes + (1 << 20);
    s.reportRejected = false;
    // A limit hit at the very end of the last call may have left the flag up unseen.
    Atomics.store(this.interrupt, 0, 0);
  }

  /** Ends the call: what was written, decoded; the buffers are released. */
  end(): CellObservation {
    const s = this.state;
    const observation: CellObservation = {
      stdout: this.decode(s.out),
      stderr: this.decode(s.err),
      outputBytes: s.used,
      truncatedAt: s.truncatedAt,
      report: s.reportRejected || s.report.length === 0 ? null : this.decoder.decode(Buffer.concat(s.report)),
    };
    s.job = new Uint8Array(0);
    s.stdin = new Uint8Array(0);
    s.out.length = 0;
    s.err.length = 0;
    s.report = [];
    // An interrupt raised for this call (deadline, output limit) must not reach the next one.
    Atomics.store(this.interrupt, 0, 0);
    return observation;
  }

  /** Output bytes still allowed in this call (the result counts against the same budget). */
  get remainingOutputBytes(): number {
    return Math.max(0, this.state.limit - this.state.used);
  }

  private register(fs: DeviceFs, path: string, minor: number, ops: object): void {
    const dev = fs.makedev(65, minor);
    fs.registerDevice(dev, ops);
    fs.mkdev(path, 0o666, dev);
  }

  private callOps(fs: DeviceFs): object {
    const s = this.state;
    return {
      open() {},
      close() {},
      // `position`: pread's offset, or the stream's own position for read() (Emscripten's FS
      // passes either and advances the stream only for read()).
      read(_stream: unknown, buffer: Int8Array, offset: number, length: number, position: number) {
        const n = Math.max(0, Math.min(length, s.job.length - position));
        new Uint8Array(buffer.buffer, buffer.byteOffset + offset, n).set(s.job.subarray(position, position + n));
        return n;
      },
      write(_stream: unknown, buffer: Int8Array, offset: number, length: number) {
        if (s.reportBytes + length > s.reportCap) {
          s.reportRejected = true;
          throw new fs.ErrnoError(EFBIG);
        }
        s.report.push(new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length).slice());
        s.reportBytes += length;
        return length;
      },
    };
  }

  /** fd 0: the call's stdin from the start at every call (the restore resets the stream). */
  private stdinOps(fs: DeviceFs): object {
    const s = this.state;
    return {
      open() {},
      close() {},
      read(stream: { position?: number }, buffer: Int8Array, offset: number, length: number) {
        // The stream's own position: the restore puts it back to 0 with the stream.
        const pos = stream.position ?? 0;
        const n = Math.max(0, Math.min(length, s.stdin.length - pos));
        new Uint8Array(buffer.buffer, buffer.byteOffset + offset, n).set(s.stdin.subarray(pos, pos + n));
        return n;
      },
      write() {
        throw new fs.ErrnoError(EIO);
      },
    };
  }

  private outputOps(fs: DeviceFs, which: "out" | "err"): object {
    const s = this.state;
    const interrupt = this.interrupt;
    return {
      open() {},
      close() {},
      read() {
        throw new fs.ErrnoError(EIO);
      },
      write(_stream: unknown, buffer: Int8Array, offset: number, length: number) {
        const room = s.limit - s.used;
        const keep = Math.max(0, Math.min(room, length));
        if (keep > 0) {
          (which === "out" ? s.out : s.err).push(new Uint8Array(buffer.buffer, buffer.byteOffset + offset, keep).slice());
          s.used += keep;
        }
        if (keep < length && s.truncatedAt === null) {
          s.truncatedAt = performance.now();
          Atomics.store(interrupt, 0, SIGINT);
        }
        // Everything is "written": the rest is dropped here, not retried by Python's buffers.
        return length;
      },
    };
  }

  /** UTF-8, with a character cut in half at the limit dropped rather than mangled. */
  private decode(chunks: Uint8Array[]): string {
    if (chunks.length === 0) return "";
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    return this.decoder.decode(bytes.subarray(0, completeUtf8Length(bytes)));
  }
}

/** What the runner reads from /dev/arbor_call (stdin goes to fd 0, not into the job). */
export function encodeCell(job: CellJob): Uint8Array {
  return Buffer.from(JSON.stringify({ code: job.code, seed: job.seed ?? null }), "utf8");
}
