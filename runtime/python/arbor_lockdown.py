"""The last boot step before the snapshot: every door from Python to JavaScript is taken away.

Pyodide's Python side is a foreign-function interface to the JavaScript it runs in: the `js` and
`pyodide_js` modules, JsProxy objects, `pyodide.ffi.to_js`, import hooks that hold the JS API.
Arbor's sandboxed code needs none of it: its only doors out are device files. Removing a name is
not enough (an object still referenced stays reachable through `gc`), so this module drops the
references themselves: import hooks, modules, their namespaces, the copies CPython keeps of
builtin modules, the types the C core made for JsProxies, every attribute of the FFI classes the
C core still holds. The executor strips the packages from the stdlib zip, removes
`_pyodide_core` from the builtin table, and seals the one wasm import every JsProxy is made
through (runtime/src/engine/pyodide/wasm-imports.ts), so what the C core keeps cannot make one either.
"""

import gc
import sys

# Top-level names of Pyodide's Python-side FFI and the JS modules it registers.
FFI_MODULES = ("js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core")


def is_ffi_name(name):
    return name.split(".")[0] in FFI_MODULES


def _is_ffi_object_type(cls):
    return is_ffi_name(getattr(cls, "__module__", "") or "")


def ffi_handles():
    """What the executor needs before the lockdown: the C core's JsProxy metaclass and how many
    types it made with it (their refcounts on it are unbalanced, see executor's ffi-lockdown),
    and the JsException type the C core keeps in a static."""
    import json

    import _pyodide_core

    exception = _pyodide_core.JsException
    metaclass = type(exception)
    made = sum(1 for t in _pyodide_core.jsproxy_typedict.values() if type(t) is metaclass)
    return json.dumps({"metaclass": id(metaclass), "types_made": made, "js_exception": id(exception)})


def _remove_import_hooks():
    # JsFinder serves `import js` / `import pyodide_js`; it and its loaders hold JsProxies of
    # the JS global object and of Pyodide's API.
    for finder in list(sys.meta_path):
        owner = finder if isinstance(finder, type) else type(finder)
        if _is_ffi_object_type(owner):
            sys.meta_path.remove(finder)
    for hook in list(sys.path_hooks):
        if _is_ffi_object_type(hook if isinstance(hook, type) else type(hook)) or is_ffi_name(getattr(hook, "__module__", "") or ""):
            sys.path_hooks.remove(hook)
    sys.path_importer_cache.clear()
    # Pyodide's excepthook lives in its package; the interpreter's own is enough.
    sys.excepthook = sys.__excepthook__


def _clear_namespace(namespace):
    # Keep the name so C code that formats an error with the module's name still can.
    for key in [k for k in namespace if k not in ("__name__", "__package__")]:
        del namespace[key]


def _drop_ffi_modules():
    # The JsProxy types the C core made (their bases are FFI classes) are only freed with it.
    core = sys.modules.get("_pyodide_core")
    if core is not None and isinstance(getattr(core, "jsproxy_typedict", None), dict):
        core.jsproxy_typedict.clear()
    for name in [n for n in sys.modules if is_ffi_name(n)]:
        namespace = getattr(sys.modules.pop(name), "__dict__", None)
        if isinstance(namespace, dict):
            _clear_namespace(namespace)


def _drop_held_ffi_state():
    for obj in gc.get_objects():
        if isinstance(obj, dict):
            # CPython keeps a copy of a single-phase builtin module's namespace to re-create it
            # on import (`m_copy`): `_pyodide_core`'s holds to_js, create_proxy and the rest.
            if obj.get("__name__") in FFI_MODULES and "__loader__" in obj:
                _clear_namespace(obj)
        elif isinstance(obj, type):
            # FFI classes the C core still holds: nothing callable stays on them.
            if _is_ffi_object_type(obj):
                for key in [k for k in vars(obj) if k not in ("__module__", "__qualname__", "__doc__", "__dict__", "__weakref__")]:
                    try:
                        delattr(obj, key)
                    except (TypeError, AttributeError):  # static C types are immutable
                        pass
        elif type(obj).__name__ == "ModuleSpec" and _is_ffi_object_type(type(obj.loader)):
            # Specs of the dropped modules, still held by their module objects.
            obj.loader = None
            obj.loader_state = None
        elif _is_ffi_object_type(type(obj)) and hasattr(obj, "__dict__"):
            # Instances held from outside Python (import loaders kept by module specs, ...).
            try:
                vars(obj).clear()
            except TypeError:
                pass


def _reset_asyncio():
    # Pyodide installs its WebLoop (scheduling through JS timers) as the event loop and policy;
    # the sandbox's own loop needs neither JS nor sockets (arbor_asyncio.py).
    import arbor_asyncio

    arbor_asyncio.install()


def _undo_stdlib_patches():
    """Pyodide patches the stdlib to go through JS; put the interpreter's own functions back.
    Runs before the FFI modules are dropped: the originals are kept in their namespaces."""
    import asyncio
    import asyncio.runners
    import builtins
    import json.encoder
    import shutil
    import time

    webloop = sys.modules.get("pyodide.webloop")
    original_sleep = getattr(webloop, "_orig_sleep", None)
    if original_sleep is not None:
        time.sleep = original_sleep  # was: JS-timer sleep through run_sync
    asyncio.run = asyncio.runners.run  # was: the WebLoop's run
    # jsnull sentinel (an FFI object) in json's encoder; wheel formats in shutil.
    if hasattr(json.encoder, "_JSNULL"):
        json.encoder._JSNULL = None
    for unregister in (shutil.unregister_archive_format, shutil.unregister_unpack_format):
        try:
            unregister("whl")
        except Exception:
            pass
    # Pyodide's eval_code parks an exception type in builtins.
    for name in [n for n in vars(builtins) if n.startswith("___EvalCodeResult")]:
        delattr(builtins, name)


def _clear_caches():
    # Generic aliases of the FFI classes (JsProxy[...]) live in typing's lru caches, and
    # stdlib zip was rewritten without Pyodide's packages, so its directory is read again.
    import typing
    import zipimport

    for cleanup in getattr(typing, "_cleanups", ()):
        cleanup()
    # @overload keeps every overloaded FFI function (to_js, JsArray.__getitem__, ...).
    typing.clear_overloads()
    zipimport._zip_directory_cache.clear()
    sys.path_importer_cache.clear()


def lockdown():
    _undo_stdlib_patches()
    _remove_import_hooks()
    _drop_ffi_modules()
    _drop_held_ffi_state()
    _reset_asyncio()
    _clear_caches()
    sys.modules.pop("arbor_lockdown", None)
    gc.collect()
