// Caps the wasm heap per call. Emscripten grows linear memory only through the imported
// `emscripten_resize_heap`; refusing there makes malloc return NULL, which CPython turns into a
// MemoryError inside the user's code. The check costs nothing on calls that never grow memory.

export class MemoryCap {
  /** Largest linear memory, in bytes, the current call may grow to. */
  limitBytes = Number.MAX_SAFE_INTEGER;
  /** Set when a growth was refused during the current call. */
  refused = false;

  wrap(resize: (requestedBytes: number) => number): (requestedBytes: number) => number {
    return (requestedBytes: number) => {
      if (requestedBytes >>> 0 > this.limitBytes) {
        this.refused = true;
        return 0;
      }
      return resize(requestedBytes);
    };
  }

  beginCall(limitBytes: number): void {
    this.limitBytes = limitBytes;
    this.refused = false;
  }
}
