"""Runs one cell of untrusted code like a REPL and reports how it ended.

The executor calls `run()` once per call, on an interpreter freshly restored from the post-init
snapshot; nothing here cleans up after itself, because the restore throws every byte of the call
away. Everything crosses as bytes through device files, never as objects:

- /dev/arbor_call: reading it gives the job (JSON: code, seed); the one report this module
  writes back is JSON too (status, result, error).
- fd 0 reads the call's stdin; fd 1 and fd 2 are the executor's capture devices: stdout and
  stderr are counted and capped where they are written, on the JavaScript side.

The report is advisory. The cell runs in this interpreter and can reach this module's frames, so
it can rewrite its own result; it cannot change what the executor observed itself (output bytes,
the deadline, memory refusals, traps), and the executor decides the call's status from those.
"""

import ast
import io
import json
import linecache
import os
import random
import sys
import traceback
import types

CELL = "<cell>"
CALL_DEVICE = "/dev/arbor_call"

# Bound now, before any user code runs: a cell that monkeypatches json, io or builtins must not
# break the report of its own outcome. Each call restores these anyway.
_dumps = json.dumps
_loads = json.loads
_repr = repr
_exec = exec
_eval = eval
_compile = compile
_open = open


def _input_stream(fd):
    raw = io.FileIO(fd, "r", closefd=False)
    stream = io.TextIOWrapper(io.BufferedReader(raw, 8192), encoding="utf-8", errors="replace", newline=None)
    stream.mode = "r"
    return stream


def _output_stream(fd, name):
    # Buffered: a print is a memory copy; the executor sees the bytes at each 8 KiB flush and at
    # the end of the cell, and counts them there. write_through=False keeps str->bytes batched.
    raw = io.FileIO(fd, "w", closefd=False)
    buffered = io.BufferedWriter(raw, 8192)
    stream = io.TextIOWrapper(buffered, encoding="utf-8", errors="backslashreplace", newline="\n", line_buffering=False)
    stream.mode = "w"
    return stream


_STDIN = _input_stream(0)
_STDOUT = _output_stream(1, "<stdout>")
_STDERR = _output_stream(2, "<stderr>")
sys.stdin = sys.__stdin__ = _STDIN
sys.stdout = sys.__stdout__ = _STDOUT
sys.stderr = sys.__stderr__ = _STDERR

# The cell's globals: one `__main__` module, as in a REPL. Every call starts from the snapshot,
# so it is empty each time; a checkpointed state keeps what its cells defined.
_MAIN = types.ModuleType("__main__")
_MAIN.__dict__["__builtins__"] = __builtins__
sys.modules["__main__"] = _MAIN


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
    try:
        text = "".join(traceback.format_exception(type(exc), exc, tb))
        message = str(exc)
    except BaseException as inner:  # a hostile __str__ must not lose the report
        text = f"{type(exc).__name__}: <unprintable: {type(inner).__name__}>\n"
        message = "<unprintable>"
    return {"type": type(exc).__name__, "message": message, "traceback": text}


def _reseed(seed):
    # Every restored interpreter starts with the same Mersenne Twister state as the snapshot:
    # without a reseed every call would draw the same "random" numbers.
    if seed is None:
        random.seed(int.from_bytes(os.urandom(16), "little"))
    else:
        random.seed(seed)


def _read_job():
    with _open(CALL_DEVICE, "rb", buffering=0) as device:
        chunks = []
        while True:
            chunk = device.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    return _loads(b"".join(chunks))


def _flush(stream):
    try:
        stream.flush()
    except BaseException:  # closed or broken by the cell: what reached the device counts
        pass


def run():
    job = _read_job()
    code = job["code"]
    status = "ok"
    error = None
    result = None

    _reseed(job.get("seed"))
    sys.stdin = _STDIN
    sys.stdout = _STDOUT
    sys.stderr = _STDERR
    try:
        linecache.cache[CELL] = (len(code), None, code.splitlines(True), CELL)
        tree = ast.parse(code, CELL, "exec")
        body, last = _split_last_expression(tree)
        namespace = _MAIN.__dict__
        _exec(_compile(body, CELL, "exec"), namespace)
        if last is not None:
            value = _eval(_compile(last, CELL, "eval"), namespace)
            if value is not None:
                result = _repr(value)
    except KeyboardInterrupt as exc:
        # The executor decides whether this was its deadline, the output cap or the user's own.
        status = "interrupted"
        error = _format_error(exc)
    except MemoryError as exc:
        # A memory limit only if the executor refused the growth; a raised MemoryError is an error.
        status = "error"
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
        _flush(_STDOUT)
        _flush(_STDERR)

    report = _dumps({"status": status, "result": result, "error": error}, ensure_ascii=False, default=str)
    with _open(CALL_DEVICE, "wb", buffering=0) as device:
        device.write(report.encode("utf-8", "surrogatepass"))
