// A tool's stdout and stderr, per call: the shim writes them to this worker thread's
// process.stdout/stderr, which are redirected here and cut at the tool's max_output_bytes
// (both streams share the budget, as a Python call's do).
export class OutputCapture {
  private out: Buffer[] = [];
  private err: Buffer[] = [];
  private used = 0;
  private cap = 0;
  truncated = false;

  constructor() {
    process.stdout.write = this.sink(() => this.out) as typeof process.stdout.write;
    process.stderr.write = this.sink(() => this.err) as typeof process.stderr.write;
  }

  /** Starts a call's capture with its cap. */
  reset(cap: number): void {
    this.out = [];
    this.err = [];
    this.used = 0;
    this.cap = cap;
    this.truncated = false;
  }

  take(): { stdout: string; stderr: string; truncated: boolean } {
    return { stdout: Buffer.concat(this.out).toString("utf8"), stderr: Buffer.concat(this.err).toString("utf8"), truncated: this.truncated };
  }

  private sink(target: () => Buffer[]) {
    return (chunk: Uint8Array | string, ...rest: unknown[]): boolean => {
      const b = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
      const take = Math.max(0, Math.min(b.length, this.cap - this.used));
      if (take > 0) target().push(b.subarray(0, take));
      this.used += take;
      if (take < b.length) this.truncated = true;
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    };
  }
}
