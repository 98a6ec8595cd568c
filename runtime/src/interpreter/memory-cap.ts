// Caps the wasm heap per call. Emscripten grows linear memory only through the imported
// `emscripten_resize_heap`; refusing there makes malloc return NULL, which CPython turns into a
// MemoryError inside the user's code. The check costs nothing on calls that never grow memory.

const WASM_PAGE = 65536;

export class MemoryCap {
  /** Largest linear memory, in bytes, the current call may grow to. */
  limitBytes = Number.MAX_SAFE_INTEGER;
  /** When a growth was first refused during the current call (performance.now()), or null. */
  refusedAt: number | null = null;
  /** The heap size Emscripten last asked for. */
  private requestedBytes = 0;

  wrap(resize: (requestedBytes: number) => number): (requestedBytes: number) => number {
    return (requestedBytes: number) => {
      this.requestedBytes = requestedBytes >>> 0;
      if (requestedBytes >>> 0 > this.limitBytes) {
        this.refusedAt ??= performance.now();
        return 0;
      }
      return resize(requestedBytes);
    };
  }

  /**
   * Emscripten grows by up to 20% more than it asked for; clamp the actual `memory.grow` to the
   * cap so the cap is exact: a growth that still fits is trimmed to what was requested.
   */
  clampGrowth(memory: WebAssembly.Memory): void {
    const grow = memory.grow.bind(memory);
    memory.grow = (deltaPages: number): number => {
      const current = memory.buffer.byteLength;
      if (current + deltaPages * WASM_PAGE > this.limitBytes) {
        const needed = Math.ceil((this.requestedBytes - current) / WASM_PAGE);
        if (needed <= 0 || current + needed * WASM_PAGE > this.limitBytes) throw new RangeError("arbor: memory cap");
        return grow(needed);
      }
      return grow(deltaPages);
    };
  }

  beginCall(limitBytes: number): void {
    this.limitBytes = limitBytes;
    this.refusedAt = null;
  }
}
