/** A WebAssembly memory page: the unit linear memory grows by. */
export const WASM_PAGE = 65536;
