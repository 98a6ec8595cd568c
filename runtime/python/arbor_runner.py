"""Runs one cell of untrusted code like a REPL and reports the outcome as one JSON string.

The executor calls `run(code, options_json)` once per call, on an interpreter freshly restored
from the post-init snapshot; nothing here needs to clean up after itself, because the restore
throws every byte of this call away.

Only plain strings cross into JavaScript: the outcome is serialised here, so no Python object,
proxy or JS object is ever shared with the host.
"""

import ast
import io
import json
import linecache
import os
import random
import sys
import traceback

CELL = "<cell>"

# Bound now, before any user code runs: a cell that monkeypatches json, io or builtins must not
# be able to break (or forge) the report of its own outcome. Each call restores these anyway.
_dumps = json.dumps
_loads = json.loads
_StringIO = io.StringIO
_repr = repr
_exec = exec
_eval = eval
_compile = compile

# The cell's globals: one `__main__` module, as in a REPL. Every call starts from the snapshot,
# so it is empty each time; a checkpointed state keeps what its cells defined.
import types as _types

_MAIN = _types.ModuleType("__main__")
_MAIN.__dict__["__builtins__"] = __builtins__
sys.modules["__main__"] = _MAIN


class OutputLimitExceeded(BaseException):
    """Raised into user code once stdout+stderr+result pass max_output_bytes.

    A BaseException so `except Exception:` in user code does not swallow it."""


class _Budget:
    def __init__(self, limit):
        self.limit = limit
        self.used = 0
        self.truncated = False


class _Capture(io.TextIOBase):
    """A text stream that keeps what fits in the shared output budget and stops the code after."""

    def __init__(self, budget, name):
        self._budget = budget
        self._parts = []
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        budget = self._budget
        if budget.truncated:
            raise OutputLimitExceeded()
        data = s.encode("utf-8", "surrogatepass")
        room = budget.limit - budget.used
        if len(data) <= room:
            self._parts.append(s)
            budget.used += len(data)
            return len(s)
        # Keep the part that fits, cut on a character boundary.
        self._parts.append(data[:room].decode("utf-8", "ignore"))
        budget.used = budget.limit
        budget.truncated = True
        raise OutputLimitExceeded()

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self._parts)


def _split_last_expression(tree):
    """Return (body module, last expression or None), as a REPL cell would."""
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
        return tree, last
    return tree, None


def _format_error(exc):
    """Type, message and a traceback that shows only the user's frames."""
    tb = exc.__traceback__
    # Drop the runner's own frames: everything before the first frame of the cell.
    while tb is not None and tb.tb_frame.f_code.co_filename != CELL:
        tb = tb.tb_next
    if isinstance(exc, SyntaxError):
        tb = None
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "traceback": text,
    }


def _reseed(seed):
    # Every restored interpreter starts with the same Mersenne Twister state as the snapshot:
    # without a reseed every call would draw the same "random" numbers.
    if seed is None:
        random.seed(int.from_bytes(os.urandom(16), "little"))
    else:
        random.seed(seed)


def run(code, options_json):
    opts = _loads(options_json)
    budget = _Budget(int(opts.get("max_output_bytes", 1 << 20)))
    out = _Capture(budget, "<stdout>")
    err = _Capture(budget, "<stderr>")
    status = "ok"
    error = None
    result = None

    _reseed(opts.get("seed"))
    sys.stdin = _StringIO(opts.get("stdin") or "")
    sys.stdout = out
    sys.stderr = err
    try:
        linecache.cache[CELL] = (len(code), None, code.splitlines(True), CELL)
        tree = ast.parse(code, CELL, "exec")
        body, last = _split_last_expression(tree)
        namespace = _MAIN.__dict__
        _exec(_compile(body, CELL, "exec"), namespace)
        if last is not None:
            value = _eval(_compile(last, CELL, "eval"), namespace)
            if value is not None:
                text = _repr(value)
                room = budget.limit - budget.used
                encoded = text.encode("utf-8", "surrogatepass")
                if len(encoded) > room:
                    text = encoded[: max(room, 0)].decode("utf-8", "ignore")
                    budget.truncated = True
                    status = "output_limit"
                else:
                    budget.used += len(encoded)
                result = text
    except OutputLimitExceeded:
        status = "output_limit"
    except MemoryError as exc:
        status = "memory_limit"
        error = _format_error(exc)
    except KeyboardInterrupt as exc:
        # The executor decides whether this was its deadline (timeout) or the user's own raise.
        status = "interrupted"
        error = _format_error(exc)
    except SystemExit as exc:
        # exit() ends the cell, not the interpreter; exit(0) / exit() is a success.
        if exc.code not in (None, 0):
            status = "error"
            error = _format_error(exc)
    except BaseException as exc:
        status = "error"
        error = _format_error(exc)
    finally:
        sys.stdout = sys.__stdout__
        sys.stderr = sys.__stderr__
        sys.stdin = sys.__stdin__

    if budget.truncated:
        status = "output_limit"
    return _dumps(
        {
            "status": status,
            "stdout": out.getvalue(),
            "stderr": err.getvalue(),
            "result": result,
            "error": error,
            "truncated": budget.truncated,
        },
        ensure_ascii=True,
    )
