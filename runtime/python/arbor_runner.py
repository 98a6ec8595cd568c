"""Runs one cell of untrusted code like a REPL and reports how it ended.

The executor calls `run()` once per call, on an interpreter freshly restored from the post-init
snapshot; nothing here cleans up after itself, because the restore throws every byte of the call
away. Everything crosses as bytes through device files, never as objects:

- /dev/arbor_call (opened once at boot, `_CALL_FD`): reading it gives the job (JSON: code,
  seed); the one report this module writes back is JSON too (status, result, error).
- fd 0 reads the call's stdin; fd 1 and fd 2 are the executor's capture devices: stdout and
  stderr are counted and capped where they are written, on the JavaScript side.

The report is advisory. The cell runs in this interpreter and can reach this module's frames, so
it can rewrite its own result; it cannot change what the executor observed itself (output bytes,
the deadline, memory refusals, traps), and the executor decides the call's status from those.
"""

import __future__
import ast
import io
import json
import linecache
import os
import random
import re
import sys
import traceback
import types
import warnings

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
_pread = os.pread
_pwrite = os.pwrite
_len = len
_memoryview = memoryview

# The call device, opened once here at boot: the snapshot keeps the fd, so a call neither opens
# nor closes it (twice a call, that cost more than the rest of a trivial call's runner work).
# pread/pwrite leave the stream's position as the snapshot has it; a cell that closes or replaces
# this fd loses only its own report, and the restore puts the stream back for the next call.
_CALL_FD = os.open(CALL_DEVICE, os.O_RDWR)


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


# A line that starts a top-level statement: column 0, not blank, not a comment.
_TOP_LEVEL_LINE = re.compile(r"^(?=[^\s#])", re.M)
# The compile() flags of every __future__ feature: what a code object's co_flags carry of them.
_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag
del _feature
_TAIL_TRIES = 4


def _compile_cell(code):
    """Compile a cell as a REPL does: ([code objects to exec in order], last expression's code or None).

    Finding the last expression takes an AST, and building the Python AST of a whole program
    costs about as much as compiling it (a realistic cell: ~1.3 ms against ~0.6 ms to compile it
    from source). So the program is compiled from source up to its last top-level statement, and
    only that statement goes through the AST. Whenever that split is not certainly the same
    program, the whole cell takes the AST path.
    """
    split = _compile_split(code)
    if split is not None:
        return split
    body, last = _split_last_expression(ast.parse(code, CELL, "exec"))
    return [_compile(body, CELL, "exec")], None if last is None else _compile(last, CELL, "eval")


def _compile_split(code):
    if "\n" not in code and "\r" not in code:
        return None  # one line: nothing to split
    starts = [m.start() for m in _TOP_LEVEL_LINE.finditer(code)]
    if len(starts) < 2:
        return None  # one top-level statement: the head would be empty, nothing to save
    # Warnings are held until the split is known to stand: a fallback compiles everything again.
    with warnings.catch_warnings(record=True) as held:
        warnings.simplefilter("always")
        compiled = _try_split(code, starts)
    if compiled is None:
        return None
    for w in held:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return compiled


def _try_split(code, starts):
    for i in range(len(starts) - 1, max(0, len(starts) - 1 - _TAIL_TRIES), -1):
        start = starts[i]
        if code.startswith("@", starts[i - 1]):
            continue  # a decorated definition starts at its first decorator
        # Newlines as the tokenizer counts them (a lone \r ends a line too): the tail keeps its
        # line numbers, so tracebacks and warnings point where they would.
        lines = code.count("\n", 0, start) + code.count("\r", 0, start) - code.count("\r\n", 0, start)
        try:
            tail = ast.parse("\n" * lines + code[start:], CELL, "exec")
        except (SyntaxError, ValueError):
            continue  # not a statement's start (inside a string, an else:, ...): try the one before
        first = tail.body[0] if tail.body else None
        if any(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in tail.body):
            return None  # only legal at the very top: the whole cell decides
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            return None  # would become the tail's docstring (__doc__) when compiled alone
        try:
            # Compiles only if the split falls between two complete statements: no open bracket,
            # string or backslash continuation runs into the tail.
            head = _compile(code[:start], CELL, "exec")
            flags = head.co_flags & _FUTURE_FLAGS  # the head's __future__ imports govern the tail too
            body, last = _split_last_expression(tail)
            codes = [head] if not body.body else [head, _compile(body, CELL, "exec", flags)]
            return codes, None if last is None else _compile(last, CELL, "eval", flags)
        except (SyntaxError, ValueError):
            return None
    return None


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
    chunks = []
    at = 0
    while True:
        chunk = _pread(_CALL_FD, 1 << 20, at)
        if not chunk:
            break
        chunks.append(chunk)
        at += _len(chunk)
    return _loads(b"".join(chunks))


def _write_report(data):
    view = _memoryview(data)
    at = 0
    while at < _len(view):
        written = _pwrite(_CALL_FD, view[at:], at)
        if written <= 0:  # the fd was replaced by something that takes nothing: no report
            return
        at += written


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
        codes, last = _compile_cell(code)
        namespace = _MAIN.__dict__
        for compiled in codes:
            _exec(compiled, namespace)
        if last is not None:
            value = _eval(last, namespace)
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
    _write_report(report.encode("utf-8", "surrogatepass"))
