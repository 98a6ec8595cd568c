// Caps the wasm heap per call. Emscripten grows linear memory only through the imported
// `emscripten_resize_heap`; refusing there makes malloc return NULL, which CPython turns into a
// MemoryError inside the user's code. The check costs nothing on calls that never grow memory.

import { WASM_PAGE } from "../../wasm-page.ts";

export class MemoryCap {
  /** Largest linear memory, in bytes, the current call may grow to. */
  limitBytes = Number.MAX_SAFE_INTEGER;
  /** When a growth was first refused during the current call (performance.now()), or null. */
  refusedAt: number | null = null;
  /** The heap size Emscripten last asked for. */
  private requestedBytes = 0;
  /** Emscripten's own resize (it grows memory, then rebuilds its views of it). */
  private resize: ((requestedBytes: number) => number) | null = null;
  private memory: WebAssembly.Memory | null = null;

  wrap(resize: (requestedBytes: number) => number): (requestedBytes: number) => number {
    this.resize = resize;
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
    this.memory = memory;
    const grow = memory.grow.bind(memory);
    memory.grow = (deltaPages: number): number => {
      const current = memory.buffer.byteLength;
      if (current + deltaPages * WASM_PAGE > this.limitBytes) {
        const needed = Math.max(0, Math.ceil((this.requestedBytes - current) / WASM_PAGE));
        if (current + needed * WASM_PAGE > this.limitBytes) throw new RangeError("arbor: memory cap");
        return grow(needed);
      }
      return grow(deltaPages);
    };
  }

  /**
   * Emscripten keeps typed-array views of memory in its own closure and rebuilds them right
   * after it grows memory. A call terminated between the two (the deadline, mid-allocation)
   * leaves them on the old, detached buffer, and every later call would fail. A resize that
   * grows by nothing (the clamp above allows exactly zero) makes Emscripten rebuild them.
   */
  refreshViews(): void {
    if (!this.resize || !this.memory) return;
    const saved = this.limitBytes;
    const current = this.memory.buffer.byteLength;
    this.limitBytes = current;
    this.requestedBytes = current;
    try {
      this.resize(current);
    } finally {
      this.limitBytes = saved;
    }
  }

  beginCall(limitBytes: number): void {
    this.limitBytes = limitBytes;
    this.refusedAt = null;
  }
}
