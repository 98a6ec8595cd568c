"""Conversions between the SDK's shapes and the wire's JSON."""
from __future__ import annotations

import base64
import datetime as _dt
from typing import Any, Dict, List, Optional, Sequence

from .enums import BATCH_STATUSES, CALL_STATUSES, HOST_CALL_OUTCOMES
from .errors import error_from_envelope, invalid_response
from .types import (
    BatchResult,
    BatchView,
    Branch,
    EvalResult,
    HostCall,
    InputFile,
    OutputFile,
    Program,
    PythonError,
    StateInfo,
    Timing,
    Tool,
    ToolParam,
)


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
    """The wire request body for an eval, a state eval, a fork branch or a batch program. Unset options are omitted."""
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


def to_wire_program(program: Any) -> Dict[str, Any]:
    """A fork branch or a batch program: a str, a Program or Branch, or a dict of their fields."""
    if isinstance(program, str):
        return to_wire_eval(program)
    if isinstance(program, dict):
        program = Branch(**program)
    if not isinstance(program, Program):
        raise TypeError(f"a program is a str, a Program, a Branch or a dict, not {type(program).__name__}")
    options = {k: v for k, v in vars(program).items() if k != "code"}
    return to_wire_eval(program.code, **options)


def to_wire_batch_spec(
    requests: Optional[Sequence[Any]], state_id: Optional[str], branches: Optional[Sequence[Any]]
) -> Dict[str, Any]:
    """``{"requests": [...]}`` or ``{"state_id": ..., "branches": [...]}``; exactly one form."""
    if requests is not None and state_id is None and branches is None:
        return {"requests": [to_wire_program(p) for p in requests]}
    if requests is None and state_id is not None and branches is not None:
        return {"state_id": state_id, "branches": [to_wire_program(b) for b in branches]}
    raise TypeError("submit_batch takes requests=[...], or state_id=... with branches=[...]")


def from_wire_eval(body: Any, request_id: Optional[str] = None) -> EvalResult:
    """An eval response (also a state, fork or batch result) as an EvalResult."""
    if not isinstance(body, dict) or body.get("status") not in CALL_STATUSES:
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
        host_calls=[_host_call(c, request_id) for c in (body.get("host_calls") or []) if isinstance(c, dict)],
        timing=Timing(
            queue_ms=_num(timing.get("queue_ms")),
            restore_ms=_num(timing.get("restore_ms")),
            restore_wait_ms=_num(timing.get("restore_wait_ms")),
            exec_ms=_num(timing.get("exec_ms")),
            checkpoint_ms=_num(timing.get("checkpoint_ms")),
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
        children=int(_num(body.get("children"))),
        raw=body,
    )


def from_wire_tools(body: Any, request_id: Optional[str] = None) -> List[Tool]:
    """GET /v1/tools."""
    if not isinstance(body, dict) or not isinstance(body.get("tools"), list):
        raise invalid_response("a tools list without tools", request_id)
    tools = []
    for t in body["tools"]:
        if not isinstance(t, dict):
            raise invalid_response("a tool that is not an object", request_id)
        types = t.get("types") if isinstance(t.get("types"), dict) else {}
        tools.append(
            Tool(
                name=_str(t.get("name")),
                description=_str(t.get("description")),
                signature=_str(t.get("signature")),
                params=[ToolParam(_str(p.get("name")), _str(p.get("type"))) for p in (t.get("params") or []) if isinstance(p, dict)],
                result=t["result"] if isinstance(t.get("result"), str) else None,
                types={k: _str(v) for k, v in types.items()},
                sha256=_str(t.get("sha256")),
                interfaces=[_str(i) for i in (t.get("interfaces") or [])],
                timeout_ms=int(_num(t.get("timeout_ms"))),
                memory_mb=int(_num(t.get("memory_mb"))),
            )
        )
    return tools


def from_wire_batch_id(body: Any, request_id: Optional[str] = None) -> str:
    """The id in POST /v1/batches' answer."""
    if not isinstance(body, dict) or not isinstance(body.get("batch_id"), str) or not body["batch_id"]:
        raise invalid_response("an accepted batch without a batch_id", request_id)
    return body["batch_id"]


def from_wire_batch_view(body: Any, batch_id: str, request_id: Optional[str] = None) -> BatchView:
    """GET /v1/batches/{batch_id}: progress plus the results in the requested range, by index."""
    if (
        not isinstance(body, dict)
        or body.get("status") not in BATCH_STATUSES
        or not _is_count(body.get("total"))
        or not _is_count(body.get("done"))
    ):
        raise invalid_response("a batch without a known status, total and done", request_id)
    if not isinstance(body.get("results"), list):
        raise invalid_response("a batch without results", request_id)
    return BatchView(
        id=body["batch_id"] if isinstance(body.get("batch_id"), str) else batch_id,
        status=body["status"],
        total=body["total"],
        done=body["done"],
        results=sorted((_batch_result(r, request_id) for r in body["results"]), key=lambda r: r.index),
    )


def _batch_result(r: Any, request_id: Optional[str]) -> BatchResult:
    if not isinstance(r, dict) or not _is_count(r.get("index")):
        raise invalid_response("a batch result without an index", request_id)
    if isinstance(r.get("error"), dict):
        return BatchResult(r["index"], None, error_from_envelope(r["error"], "A batch job failed without an error message."))
    if "response" not in r:
        raise invalid_response("a batch result with neither response nor error", request_id)
    return BatchResult(r["index"], from_wire_eval(r["response"], request_id), None)


def _host_call(call: Dict[str, Any], request_id: Optional[str]) -> HostCall:
    # An outcome this SDK does not know is not reported as "ok".
    if call.get("outcome") not in HOST_CALL_OUTCOMES:
        raise invalid_response("a host call record without a known outcome", request_id)
    detail = call.get("detail") if isinstance(call.get("detail"), str) else None
    return HostCall(_str(call.get("name")), _str(call.get("args_summary")), call["outcome"], _num(call.get("duration_ms")), detail)


def _b64(content: Any) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return base64.b64encode(data).decode("ascii")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _num(value: Any) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
