// "dirty" strategy: userfaultfd async write-protect + PAGEMAP_SCAN (Linux >= 6.7).
// The kernel clears a page's WP bit on its first write without stopping the thread; PAGEMAP_SCAN
// lists the pages whose bit is clear. A reset copies only those pages back from the baseline.
import { HOST_PAGE, type Probe, type ResetStats, type RestoreStrategy, type StrategyFactory } from "./strategy.ts";
import {
  assertBaselineFits,
  countPages,
  errorText,
  expandRanges,
  loadNative,
  type NativeRestore,
  UFFD_FEATURE_WP_ASYNC,
  UFFD_FEATURE_WP_UNPOPULATED,
} from "./native.ts";

class DirtyPageStrategy implements RestoreStrategy {
  readonly name = "dirty" as const;
  readonly #addon: NativeRestore;
  readonly #memory: WebAssembly.Memory;
  readonly #baseline: Uint8Array;
  readonly #baselinePages: number;
  readonly #address: bigint;
  #uffd: number;
  /** Bytes from the start of memory registered for async WP; memory grown past this is untracked. */
  #tracked: number;

  constructor(addon: NativeRestore, memory: WebAssembly.Memory, baseline: Uint8Array) {
    assertBaselineFits(memory, baseline, HOST_PAGE);
    this.#addon = addon;
    this.#memory = memory;
    this.#baseline = baseline;
    this.#baselinePages = baseline.length / HOST_PAGE;
    const buf = memory.buffer;
    this.#address = addon.bufferAddress(buf);
    // Start from a known state once (full copy); from then on only written pages are copied.
    new Uint8Array(buf).set(baseline);
    if (buf.byteLength > baseline.length) addon.madvise(buf, baseline.length, buf.byteLength - baseline.length, "dontneed");
    this.#uffd = addon.uffdOpenAsyncWp().fd;
    try {
      this.#arm(buf, 0, buf.byteLength);
    } catch (e) {
      addon.closeFd(this.#uffd);
      throw e;
    }
    this.#tracked = buf.byteLength;
  }

  reset(): ResetStats {
    const buf = this.#currentBuffer();
    const written = this.#addon.scanWritten(buf, 0, this.#tracked, false);
    // Copy before re-protecting: the copy writes the pages, and they are already writable, so it
    // costs no faults; re-arming afterwards leaves them protected and clean.
    this.#addon.copyPages(buf, this.#baseline, written);
    const first = written[0];
    const last = written[written.length - 1];
    if (first !== undefined && last !== undefined) {
      this.#addon.scanWritten(buf, first * HOST_PAGE, (last - first) * HOST_PAGE, true);
    }
    const counts = countPages(written, this.#baselinePages);
    let grownBytesCleared = counts.atOrPast * HOST_PAGE;
    const untracked = buf.byteLength - this.#tracked;
    if (untracked > 0) {
      // Grown during the last call: nothing recorded which pages were written, so release them all
      // (private anonymous memory reads back as zeros), then track them from now on.
      this.#addon.madvise(buf, this.#tracked, untracked, "dontneed");
      this.#arm(buf, this.#tracked, untracked);
      this.#tracked = buf.byteLength;
      grownBytesCleared += untracked;
    }
    return { pagesRestored: counts.total - counts.atOrPast, grownBytesCleared };
  }

  writtenPages(): Uint32Array {
    const buf = this.#currentBuffer();
    const tracked = expandRanges(this.#addon.scanWritten(buf, 0, this.#tracked, false));
    if (buf.byteLength === this.#tracked) return tracked;
    // Grown, untracked memory was never touched before this call, so its modified pages are exactly
    // the ones present as private copies (reads map the shared zero page).
    const grown = expandRanges(this.#addon.scanPrivatelyModified(buf, this.#tracked, buf.byteLength - this.#tracked));
    const all = new Uint32Array(tracked.length + grown.length);
    all.set(tracked);
    all.set(grown, tracked.length);
    return all;
  }

  dispose(): void {
    if (this.#uffd < 0) return;
    // Closing the userfaultfd unregisters every range; leftover WP bits are then ignored by the kernel.
    this.#addon.closeFd(this.#uffd);
    this.#uffd = -1;
  }

  #arm(buf: ArrayBuffer, offset: number, length: number): void {
    this.#addon.uffdRegisterWp(this.#uffd, buf, offset, length);
    this.#addon.uffdWriteProtect(this.#uffd, buf, offset, length, true);
  }

  #currentBuffer(): ArrayBuffer {
    if (this.#uffd < 0) throw new Error("dirty restore strategy used after dispose()");
    const buf = this.#memory.buffer; // a new ArrayBuffer object after every grow
    const address = this.#addon.bufferAddress(buf);
    if (address !== this.#address) {
      throw new Error(`wasm memory moved from 0x${this.#address.toString(16)} to 0x${address.toString(16)}; tracking is lost`);
    }
    return buf;
  }
}

/** Try the whole mechanism on a small real wasm memory. */
function probeDirty(): Probe {
  const { addon, reason } = loadNative();
  if (!addon) return { ok: false, reason };
  let fd = -1;
  try {
    const features = addon.uffdSupportedFeatures();
    const missing = [
      (features & UFFD_FEATURE_WP_ASYNC) === 0n ? "UFFD_FEATURE_WP_ASYNC" : "",
      (features & UFFD_FEATURE_WP_UNPOPULATED) === 0n ? "UFFD_FEATURE_WP_UNPOPULATED" : "",
    ].filter(Boolean);
    if (missing.length > 0) return { ok: false, reason: `kernel lacks ${missing.join(" and ")} (needs Linux >= 6.7)` };
    const handle = addon.uffdOpenAsyncWp();
    fd = handle.fd;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const buf = memory.buffer;
    new Uint8Array(buf).fill(1);
    addon.uffdRegisterWp(fd, buf, 0, buf.byteLength);
    addon.uffdWriteProtect(fd, buf, 0, buf.byteLength, true);
    new Uint8Array(buf)[3 * HOST_PAGE + 17] = 2;
    const first = addon.scanWritten(buf, 0, buf.byteLength, true);
    const again = addon.scanWritten(buf, 0, buf.byteLength, false);
    if (first.join() !== "3,4" || again.length !== 0) {
      return { ok: false, reason: `PAGEMAP_SCAN reported [${first.join()}] then [${again.join()}], expected [3,4] then []` };
    }
    const mode = handle.userModeOnly ? "user-mode-only" : "privileged";
    return { ok: true, detail: `userfaultfd (${mode}) WP_ASYNC+WP_UNPOPULATED with PAGEMAP_SCAN` };
  } catch (e) {
    return { ok: false, reason: explain(e) };
  } finally {
    if (fd >= 0) addon.closeFd(fd);
  }
}

function explain(e: unknown): string {
  const text = errorText(e);
  if (/^userfaultfd/.test(text) && /EPERM/.test(text)) {
    return `${text}; allow it with sysctl vm.unprivileged_userfaultfd=1 or CAP_SYS_PTRACE`;
  }
  if (/PAGEMAP_SCAN/.test(text) && /(ENOTTY|EINVAL)/.test(text)) return `${text}; PAGEMAP_SCAN needs Linux >= 6.7`;
  return text;
}

export const dirtyFactory: StrategyFactory = {
  name: "dirty",
  probe(): Probe {
    try {
      return probeDirty();
    } catch (e) {
      return { ok: false, reason: errorText(e) };
    }
  },
  create(memory: WebAssembly.Memory, baseline: Uint8Array): RestoreStrategy {
    const { addon, reason } = loadNative();
    if (!addon) throw new Error(`dirty restore unavailable: ${reason}`);
    return new DirtyPageStrategy(addon, memory, baseline);
  },
};
