// Pyodide's Emscripten module factory (exported by the package, untyped there).
declare module "pyodide/pyodide.asm.mjs" {
  const createPyodideModule: (settings: object) => Promise<object>;
  export default createPyodideModule;
}
