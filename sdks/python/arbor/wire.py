"""Conversions between the SDK's shapes and the wire's JSON."""
from __future__ import annotations

import base64
import datetime as _dt
from typing import Any, Dict, Optional, Sequence

from .errors import ArborError
from .types import Branch, EvalResult, HostCall, InputFile, OutputFile, PythonError, StateInfo, Timing

STATUSES = frozenset({"ok", "error", "timeout", "memory_limit", "output_limit", "crashed"})


def to_wire_eval(
    code: str,
    *,
    timeout_ms: Optional[int] = None,
    memory_mb: Optional[int] = None,
    max_output_bytes: Optional[int] = None,
    stdin: Optional[str] = None,
    files: Optional[Sequence[InputFile]] = None,
    return_files: Optional[bool] = None,
    capabilities: Optional[Sequence[str]] = None,
    seed: Optional[int] = None,
    checkpoint: Optional[bool] = None,
) -> Dict[str, Any]:
    """The wire request body for an eval, a state eval or a fork branch. Unset options are omitted."""
    body: Dict[str, Any] = {"code": code}
    if timeout_ms is not None:
        body["timeout_ms"] = timeout_ms
    if memory_mb is not None:
        body["memory_mb"] = memory_mb
    if max_output_bytes is not None:
        body["max_output_bytes"] = max_output_bytes
    if stdin is not None:
        body["stdin"] = stdin
    if files is not None:
        body["files"] = [{"path": f.path, "content_b64": _b64(f.content)} for f in files]
    if return_files is not None:
        body["return_files"] = return_files
    if capabilities is not None:
        body["capabilities"] = list(capabilities)
    if seed is not None:
        body["seed"] = seed
    if checkpoint is not None:
        body["checkpoint"] = checkpoint
    return body


def to_wire_branch(branch: Any) -> Dict[str, Any]:
    if isinstance(branch, str):
        return to_wire_eval(branch)
    if isinstance(branch, dict):
        branch = Branch(**branch)
    if not isinstance(branch, Branch):
        raise TypeError(f"a branch is a str, a Branch or a dict, not {type(branch).__name__}")
    options = {k: v for k, v in vars(branch).items() if k != "code"}
    return to_wire_eval(branch.code, **options)


def from_wire_eval(body: Any, request_id: Optional[str] = None) -> EvalResult:
    """An eval response (also a state or fork result) as an EvalResult."""
    if not isinstance(body, dict) or body.get("status") not in STATUSES:
        raise invalid_response("an eval response without a known status", request_id)
    timing = body.get("timing") if isinstance(body.get("timing"), dict) else {}
    error = body.get("error")
    return EvalResult(
        id=_str(body.get("id")),
        status=body["status"],
        stdout=_str(body.get("stdout")),
        stderr=_str(body.get("stderr")),
        result=body["result"] if isinstance(body.get("result"), str) else None,
        error=PythonError(_str(error.get("type")), _str(error.get("message")), _str(error.get("traceback")))
        if isinstance(error, dict)
        else None,
        files=[
            OutputFile(_str(f.get("path")), base64.b64decode(_str(f.get("content_b64"))))
            for f in (body.get("files") or [])
            if isinstance(f, dict)
        ],
        truncated=body.get("truncated") is True,
        host_calls=[_host_call(c) for c in (body.get("host_calls") or []) if isinstance(c, dict)],
        timing=Timing(
            queue_ms=_num(timing.get("queue_ms")),
            restore_ms=_num(timing.get("restore_ms")),
            exec_ms=_num(timing.get("exec_ms")),
            total_ms=_num(timing.get("total_ms")),
        ),
        state_id=body["state_id"] if isinstance(body.get("state_id"), str) else None,
    )


def from_wire_state_info(body: Any, state_id: str, request_id: Optional[str] = None) -> StateInfo:
    if not isinstance(body, dict):
        raise invalid_response("state metadata that is not an object", request_id)
    created = body.get("created_at")
    if isinstance(created, (int, float)) and not isinstance(created, bool):
        created = _dt.datetime.fromtimestamp(created / 1000, tz=_dt.timezone.utc).isoformat().replace("+00:00", "Z")
    return StateInfo(
        id=body["state_id"] if isinstance(body.get("state_id"), str) else state_id,
        parent_id=body["parent_id"] if isinstance(body.get("parent_id"), str) else None,
        depth=int(_num(body.get("depth"))),
        bytes=int(_num(body.get("bytes"))),
        created_at=_str(created),
        raw=body,
    )


def invalid_response(what: str, request_id: Optional[str] = None) -> ArborError:
    return ArborError(f"The daemon sent {what}.", code="invalid_response", request_id=request_id)


def _host_call(call: Dict[str, Any]) -> HostCall:
    outcome = call.get("outcome") if call.get("outcome") in ("denied", "error") else "ok"
    detail = call.get("detail") if isinstance(call.get("detail"), str) else None
    return HostCall(_str(call.get("name")), _str(call.get("args_summary")), outcome, _num(call.get("duration_ms")), detail)


def _b64(content: Any) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return base64.b64encode(data).decode("ascii")


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _num(value: Any) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
