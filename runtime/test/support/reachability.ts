// The Python a test runs in the sandbox to list what of Pyodide's FFI is still reachable: a walk
// from every object the collector tracks, transitively through gc.get_referents, from every
// module, frame and type (subclasses included). It prints one JSON line:
//   jsproxies    instances of a JsProxy type (a Python handle on a JS value)
//   ffi_callables builtin functions of _pyodide_core, and Python functions of Pyodide's FFI
//                 packages whose globals still hold anything
//   ffi_types    FFI types that can still be called, with what calling them gave
//   ffi_modules  FFI modules in sys.modules, or reachable module objects with a namespace
//   imports      FFI modules that can still be imported
export const REACHABILITY_PY = String.raw`
import gc, sys, types, json
FFI = ("js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core")
def ffi_name(name):
    return (name or "").split(".")[0] in FFI
seen = {}
gc.unfreeze()  # boot's objects sit in the permanent generation (heap-settle.ts), which get_objects() skips
stack = list(gc.get_objects()) + list(sys.modules.values()) + [object, type, sys._getframe()]
f = sys._getframe()
while f is not None:
    stack.append(f); f = f.f_back
while stack:
    o = stack.pop()
    if id(o) in seen:
        continue
    seen[id(o)] = o
    if isinstance(o, type):
        try:
            stack.extend(type.__subclasses__(o))
        except TypeError:
            pass
    try:
        stack.extend(gc.get_referents(o))
    except Exception:
        pass
jsproxies, callables, ffi_types, modules = set(), set(), {}, set()
HEAPTYPE = 1 << 9
def is_jsproxy_type(t):
    # Real JsProxies derive from the C core's static JsProxy type (the docs class of the same
    # name is a heap type).
    return any(c.__name__ == "JsProxy" and not (c.__flags__ & HEAPTYPE) for c in getattr(t, "__mro__", ()))
for o in list(seen.values()):
    t = type(o)
    if is_jsproxy_type(t) and not isinstance(o, type):
        jsproxies.add(t.__name__)
    if isinstance(o, types.BuiltinFunctionType):
        owner = getattr(o, "__self__", None)
        if ffi_name(getattr(o, "__module__", "")) or (isinstance(owner, types.ModuleType) and ffi_name(owner.__name__)):
            callables.add("builtin " + o.__name__)
    elif isinstance(o, types.FunctionType) and "pyodide" in o.__code__.co_filename:
        live = [k for k in o.__globals__ if k not in ("__name__", "__package__")]
        if live:
            callables.add(o.__code__.co_filename.split("/")[-1] + ":" + o.__qualname__)
    elif isinstance(o, types.ModuleType) and ffi_name(o.__name__):
        if sys.modules.get(o.__name__) is o or [k for k in vars(o) if k not in ("__name__", "__package__")]:
            modules.add(o.__name__)
    elif isinstance(o, type) and ffi_name(o.__module__):
        # A type of the FFI that is still around: calling it must never give a JsProxy.
        got = []
        for args in ((), ("x",), ("x", "y", "z"), (1,), ({},)):
            try:
                r = o(*args)
                got.append(type(r).__name__)
                if is_jsproxy_type(type(r)):
                    jsproxies.add("made by " + o.__name__)
            except BaseException as e:
                got.append(type(e).__name__)
        ffi_types[o.__module__ + "." + o.__qualname__] = sorted(set(got))
imports = []
for name in ("js", "pyodide_js", "pyodide", "pyodide.ffi", "pyodide.code", "_pyodide", "_pyodide._importhook", "_pyodide_core"):
    try:
        __import__(name)
        imports.append(name)
    except ImportError:
        pass
import zipimport
for path in sys.path:
    if path.endswith(".zip"):
        for name in ("pyodide", "_pyodide"):
            if zipimport.zipimporter(path).find_spec(name) is not None:
                imports.append(path + ":" + name)
import _imp
try:
    # CPython re-creates a single-phase builtin from the copy of its namespace it keeps: that
    # copy was emptied, so what comes back must hold nothing.
    shell = _imp.create_builtin(type("spec", (), {"name": "_pyodide_core"})())
    left = [k for k in vars(shell) if not k.startswith("__")]
    if left:
        imports.append("builtin _pyodide_core: " + ",".join(left[:5]))
except Exception:
    pass
print(json.dumps({"walked": len(seen), "jsproxies": sorted(jsproxies), "ffi_callables": sorted(callables), "ffi_types": ffi_types, "ffi_modules": sorted(modules), "imports": imports}))
`;

export interface Reachable {
  walked: number;
  jsproxies: string[];
  ffi_callables: string[];
  ffi_types: Record<string, string[]>;
  ffi_modules: string[];
  imports: string[];
}
