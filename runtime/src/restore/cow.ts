// "cow" strategy: the baseline lives in a sealed memfd mapped MAP_PRIVATE over the wasm memory.
// Writes get private copies; a reset maps the file again (MAP_FIXED), discarding every copy at once.
// The price is paid during the next call instead: every page it touches faults again.
import { HOST_PAGE, writePages, type PageOverlay, type Probe, type ResetStats, type RestoreStrategy, type StrategyFactory } from "./strategy.ts";
import { assertBaselineFits, errorText, expandRanges, loadNative, type NativeRestore } from "./native.ts";

class CowStrategy implements RestoreStrategy {
  readonly name = "cow" as const;
  readonly #addon: NativeRestore;
  readonly #memory: WebAssembly.Memory;
  readonly #length: number;
  readonly #address: bigint;
  readonly #canScan: boolean;
  #memfd: number;

  constructor(addon: NativeRestore, memory: WebAssembly.Memory, baseline: Uint8Array, canScan: boolean) {
    assertBaselineFits(memory, baseline, HOST_PAGE);
    this.#addon = addon;
    this.#memory = memory;
    this.#length = baseline.length;
    this.#canScan = canScan;
    const buf = memory.buffer;
    this.#address = addon.bufferAddress(buf);
    this.#memfd = addon.memfdFromBytes("arbor-baseline", baseline);
    try {
      this.#remap(buf);
    } catch (e) {
      addon.closeFd(this.#memfd);
      throw e;
    }
  }

  reset(overlay?: PageOverlay): ResetStats {
    const buf = this.#currentBuffer();
    const grownBytesCleared = this.#remap(buf);
    if (overlay) {
      const view = new Uint8Array(buf);
      for (const [page, bytes] of overlay) view.set(bytes, page * HOST_PAGE);
    }
    return { pagesRestored: this.#length / HOST_PAGE, grownBytesCleared };
  }

  writtenPages(): Uint32Array | null {
    if (!this.#canScan) return null;
    const buf = this.#currentBuffer();
    return expandRanges(this.#addon.scanPrivatelyModified(buf, 0, buf.byteLength));
  }

  // The pages become private copies (and read as written); a reset maps the file again anyway.
  writeClean(pages: Uint32Array, bytesOf: (page: number) => Uint8Array): void {
    writePages(new Uint8Array(this.#memory.buffer), pages, bytesOf);
  }

  dispose(): void {
    if (this.#memfd < 0) return;
    // The mapping keeps the file alive: memory keeps its current contents after dispose.
    this.#addon.closeFd(this.#memfd);
    this.#memfd = -1;
  }

  /** Map the baseline again and release memory grown past it (anonymous memory reads back as zeros). */
  #remap(buf: ArrayBuffer): number {
    this.#addon.mapPrivateFixed(this.#memfd, buf, 0, this.#length);
    const grown = buf.byteLength - this.#length;
    if (grown > 0) this.#addon.madvise(buf, this.#length, grown, "dontneed");
    return grown;
  }

  #currentBuffer(): ArrayBuffer {
    if (this.#memfd < 0) throw new Error("cow restore strategy used after dispose()");
    const buf = this.#memory.buffer;
    const address = this.#addon.bufferAddress(buf);
    if (address !== this.#address) {
      throw new Error(`wasm memory moved from 0x${this.#address.toString(16)} to 0x${address.toString(16)}; the mapping is lost`);
    }
    return buf;
  }
}

/** Whether PAGEMAP_SCAN works here (only needed for writtenPages; cow resets without it). */
let scanWorks: boolean | undefined;

function probeCow(): Probe {
  const { addon, reason } = loadNative();
  if (!addon) return { ok: false, reason };
  let fd = -1;
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const buf = memory.buffer;
    const baseline = new Uint8Array(buf.byteLength).fill(5);
    fd = addon.memfdFromBytes("arbor-probe", baseline);
    addon.mapPrivateFixed(fd, buf, 0, buf.byteLength);
    const view = new Uint8Array(buf);
    view[2 * HOST_PAGE] = 9;
    let scan = "PAGEMAP_SCAN unavailable: writtenPages() returns null";
    try {
      const written = addon.scanPrivatelyModified(buf, 0, buf.byteLength);
      scanWorks = written.join() === "2,3";
      scan = scanWorks ? "PAGEMAP_SCAN for writtenPages" : `PAGEMAP_SCAN reported [${written.join()}], expected [2,3]: writtenPages() returns null`;
    } catch (e) {
      scanWorks = false;
      scan = `PAGEMAP_SCAN failed (${errorText(e)}): writtenPages() returns null`;
    }
    addon.mapPrivateFixed(fd, buf, 0, buf.byteLength);
    if (view[2 * HOST_PAGE] !== 5 || view[0] !== 5) return { ok: false, reason: "re-mapping the memfd did not restore the baseline" };
    return { ok: true, detail: `sealed memfd MAP_PRIVATE|MAP_FIXED over the wasm memory; ${scan}` };
  } catch (e) {
    return { ok: false, reason: errorText(e) };
  } finally {
    if (fd >= 0) addon.closeFd(fd);
  }
}

export const cowFactory: StrategyFactory = {
  name: "cow",
  probe(): Probe {
    try {
      return probeCow();
    } catch (e) {
      return { ok: false, reason: errorText(e) };
    }
  },
  create(memory: WebAssembly.Memory, baseline: Uint8Array): RestoreStrategy {
    const { addon, reason } = loadNative();
    if (!addon) throw new Error(`cow restore unavailable: ${reason}`);
    if (scanWorks === undefined) probeCow();
    return new CowStrategy(addon, memory, baseline, scanWorks === true);
  },
};
