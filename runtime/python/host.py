"""The only door from the sandbox to the outside: host capabilities, checked by the daemon.

Each function sends one JSON request through the device file /dev/arbor_host and blocks until
the daemon answers. Only bytes cross: no JavaScript object, proxy or function is ever reachable
from here, so there is nothing to walk back to the host runtime. The daemon checks every call
against the tenant's policy (narrowed by the request's `capabilities`) in its own process; a
refused call raises PermissionError naming the capability and the rule.
"""

import base64 as _base64
import json as _json


class ToolError(RuntimeError):
    """A tool failed: it returned its WIT result's error case (`value` holds it) or trapped (`value` is None)."""

    def __init__(self, message, value=None):
        super().__init__(message)
        self.value = value


class ToolMemoryError(ToolError):
    """A tool hit its memory limit (memory_mb). Not a MemoryError: this interpreter is fine."""


_DEVICE = "/dev/arbor_host"
_ERRORS = {
    "PermissionError": PermissionError,
    "OSError": OSError,
    "TimeoutError": TimeoutError,
    "ValueError": ValueError,
    "TypeError": TypeError,
    "ToolError": ToolError,
    "ToolMemoryError": ToolMemoryError,
}

__all__ = ["shell", "read_file", "write_file", "web_fetch", "tools", "tool", "ToolError", "ToolMemoryError"]


def _call(name, args):
    request = _json.dumps({"name": name, "args": args}).encode("utf-8")
    with open(_DEVICE, "r+b", buffering=0) as dev:
        dev.write(request)
        chunks = []
        while True:
            chunk = dev.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    reply = _json.loads(b"".join(chunks).decode("utf-8"))
    if reply.get("ok"):
        return reply.get("value")
    error = reply.get("error") or {}
    raise _ERRORS.get(error.get("type"), OSError)(error.get("message", "host call failed"))


def shell(argv):
    """Run an allowlisted program: shell(["ls", "-l"]) -> {exit_code, stdout, stderr, truncated, timed_out}.

    argv is a list of strings; there is no shell, so no globbing, pipes or variables."""
    if isinstance(argv, str):
        raise TypeError("shell() takes a list of arguments, e.g. shell(['ls', '-l']); there is no shell")
    return _call("shell", {"argv": [str(a) for a in argv]})


def read_file(path, binary=False):
    """Read a host file under the configured root: str (UTF-8), or bytes with binary=True."""
    value = _call("read_file", {"path": str(path)})
    data = _base64.b64decode(value["data_b64"])
    return data if binary else data.decode("utf-8")


def write_file(path, data):
    """Write a host file under the configured root; data is str (written as UTF-8) or bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    value = _call("write_file", {"path": str(path), "data_b64": _base64.b64encode(bytes(data)).decode("ascii")})
    return value["size"]


def web_fetch(url, method="GET", headers=None, body=None):
    """Fetch an allowlisted URL: -> {status, headers, body, encoding, truncated, url}.

    body (request) is str or bytes; the response body is str when it is UTF-8 text, else bytes."""
    args = {"url": str(url), "method": str(method).upper()}
    if headers is not None:
        args["headers"] = {str(k): str(v) for k, v in dict(headers).items()}
    if body is not None:
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        args["body_b64"] = _base64.b64encode(raw).decode("ascii")
    value = _call("web_fetch", args)
    if value.get("encoding") == "base64":
        value["body"] = _base64.b64decode(value["body"])
    return value


def tools():
    """The WebAssembly tools this call may use: [{name, description, signature, params, result, types, ...}]."""
    return _call("tools", {})


def _jsonable(value):
    # JSON-like values only; bytes become lists of ints (list<u8>), sets and tuples lists.
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def tool(name, *args):
    """Call a registered tool: tool("summarize", "bob", [{"label": "a", "qty": 1, "price": 2.0}]).

    Arguments are checked against the tool's WIT signature (TypeError names the parameter).
    Records are dicts keyed by WIT field name, option is None or the value, a result's error
    case raises ToolError (its .value is the error). What the tool printed is written to this
    call's stdout and stderr."""
    try:
        args_json = [_jsonable(a) for a in args]
        _json.dumps(args_json, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise TypeError(f"tool {name!r}: arguments must be JSON-like values ({e})") from None
    value = _call("tool", {"tool": str(name), "args": args_json})
    # Imported here, not kept on the module: nothing reachable from `host` leads to sys.modules.
    import sys

    if value.get("stdout"):
        sys.stdout.write(value["stdout"])
    if value.get("stderr"):
        sys.stderr.write(value["stderr"])
    if "error" in value:
        raise ToolError(f"tool {name!r} returned an error: {value['error']!r}", value["error"])
    return value.get("value")
