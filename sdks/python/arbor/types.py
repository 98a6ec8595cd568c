"""The SDK's public shapes: snake_case views of the wire. Every duration is in milliseconds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

__all__ = ["InputFile", "OutputFile", "PythonError", "HostCall", "Timing", "EvalResult", "StateInfo", "Branch"]


@dataclass(frozen=True)
class InputFile:
    """A file written into /workspace before the code runs; a str is sent as UTF-8."""

    path: str
    content: Union[bytes, str]


@dataclass(frozen=True)
class OutputFile:
    """A file the code created or changed in /workspace (with ``return_files=True``)."""

    path: str
    content: bytes


@dataclass(frozen=True)
class PythonError:
    type: str
    message: str
    traceback: str


@dataclass(frozen=True)
class HostCall:
    name: str
    args_summary: str
    outcome: str
    duration_ms: float
    detail: Optional[str] = None


@dataclass(frozen=True)
class Timing:
    queue_ms: float
    restore_ms: float
    exec_ms: float
    total_ms: float


@dataclass(frozen=True)
class EvalResult:
    """One call's outcome. Python failures are a ``status``, not an exception."""

    id: str
    status: str
    stdout: str
    stderr: str
    #: repr() of the last expression; None when there is none or it is None.
    result: Optional[str]
    error: Optional[PythonError]
    files: List[OutputFile]
    truncated: bool
    host_calls: List[HostCall]
    timing: Timing
    #: The kept state: set by create_state and by a checkpointing state eval or branch; else None.
    state_id: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class StateInfo:
    id: str
    parent_id: Optional[str]
    depth: int
    bytes: int
    created_at: str
    #: The whole metadata object as the daemon sent it.
    raw: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Branch:
    """One branch of a fork: the code plus the options of a state eval."""

    code: str
    timeout_ms: Optional[int] = None
    memory_mb: Optional[int] = None
    max_output_bytes: Optional[int] = None
    stdin: Optional[str] = None
    files: Optional[List[InputFile]] = None
    return_files: Optional[bool] = None
    capabilities: Optional[List[str]] = None
    seed: Optional[int] = None
    checkpoint: Optional[bool] = None
