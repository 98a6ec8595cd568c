// Pyodide-specific doors closed at boot: builtin modules removed from CPython's table, and the
// host-reaching parts of Pyodide's JS API refused.
// Builtin modules Python must not have. Python-level blocks do not hold (`_imp.create_builtin`
// re-creates any builtin from CPython's table), so the entries are removed from the table itself:
// CPython 3.12+ keeps a private copy of PyImport_Inittab, so every copy in linear memory is
// compacted. Done before the snapshot, so every call starts without them.
export const REMOVED_BUILTINS = [
  "_ctypes", // calls any function pointer: the wasm imports, arbitrary memory
  "_testcapi", "_testinternalcapi", "_testlimitedcapi", "_testbuffer", "_testclinic",
  "_testclinic_limited", "_xxtestfuzz", "_remote_debugging",
];

interface WasmModuleView {
  HEAPU32: Uint32Array;
  UTF8ToString(ptr: number): string;
  _PyImport_Inittab?: number;
}

/** Removes the named entries from every copy of the builtin-module table; returns copies edited. */
export function removeBuiltins(module: WasmModuleView, names: readonly string[]): number {
  const heap = module.HEAPU32;
  const tableVar = module._PyImport_Inittab;
  if (typeof tableVar !== "number") throw new Error("lockdown: PyImport_Inittab is not exported; cannot remove builtins");
  const start = heap[tableVar >>> 2]! >>> 2;
  // The table: { const char *name; PyObject *(*initfunc)(void); } pairs up to a NULL name.
  const words: number[] = [];
  for (let i = start; heap[i] !== 0; i += 2) words.push(heap[i]!, heap[i + 1]!);
  const drop = new Set(names);
  const kept: number[] = [];
  for (let i = 0; i < words.length; i += 2) if (!drop.has(module.UTF8ToString(words[i]!))) kept.push(words[i]!, words[i + 1]!);
  let copies = 0;
  // Any run of memory equal to the whole table is a copy of it (pointer pairs: no false match).
  for (let at = heap.indexOf(words[0]!); at >= 0; at = heap.indexOf(words[0]!, at + 1)) {
    let same = true;
    for (let k = 1; k < words.length && same; k++) same = heap[at + k] === words[k];
    if (!same) continue;
    heap.set(kept, at);
    heap.fill(0, at + kept.length, at + words.length + 2);
    copies++;
  }
  return copies;
}

interface HostDoors {
  FS: { filesystems: Record<string, unknown> };
  [name: string]: unknown;
}

/** JS-side doors of the Pyodide API no call ever needs: made to throw, NODEFS unregistered. */
export function closeApiDoors(pyodide: HostDoors): string[] {
  const closed: string[] = [];
  for (const fs of ["NODEFS", "PROXYFS", "WORKERFS"]) {
    if (fs in pyodide.FS.filesystems) {
      delete pyodide.FS.filesystems[fs];
      closed.push(fs);
    }
  }
  for (const name of ["loadPackage", "loadPackagesFromImports", "mountNodeFS", "mountNativeFS", "runPythonAsync", "registerJsModule", "pyimport", "registerComlink"]) {
    if (typeof pyodide[name] !== "function") continue;
    const refuse = () => {
      throw new Error(`arbor: pyodide.${name} is disabled in the sandbox`);
    };
    try {
      Object.defineProperty(pyodide, name, { value: refuse, writable: false, configurable: false });
      closed.push(name);
    } catch {
      // a non-configurable accessor: leave it (Python cannot reach the API object anyway)
    }
  }
  return closed;
}
