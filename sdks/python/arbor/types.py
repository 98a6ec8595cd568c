"""The SDK's public shapes: snake_case views of the wire (sdks/openapi.json). Every duration is in
milliseconds. The closed sets of names (statuses, capabilities, outcomes) live in enums.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Union

from .enums import BatchStatus, CallStatus, Capability, HostCallOutcome

if TYPE_CHECKING:
    from .errors import ArborError

__all__ = [
    "InputFile",
    "OutputFile",
    "PythonError",
    "HostCall",
    "Timing",
    "EvalResult",
    "StateInfo",
    "Program",
    "Branch",
    "ToolParam",
    "Tool",
    "BatchProgress",
    "BatchResult",
    "BatchView",
    "ProgressCallback",
]


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
    outcome: HostCallOutcome
    duration_ms: float
    detail: Optional[str] = None


@dataclass(frozen=True)
class Timing:
    queue_ms: float
    restore_ms: float
    exec_ms: float
    total_ms: float
    # Waiting for the interpreter to finish restoring after the previous call (0 when it was ready).
    restore_wait_ms: float = 0
    # Capturing the state the call left (a checkpointing branch or state creation; else 0).
    checkpoint_ms: float = 0


@dataclass(frozen=True)
class EvalResult:
    """One call's outcome. Python failures are a ``status``, not an exception."""

    id: str
    status: CallStatus
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
    #: Live states made from this one.
    children: int
    #: The whole metadata object as the daemon sent it.
    raw: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Program:
    """One program of a batch: the code plus the options of an eval."""

    code: str
    timeout_ms: Optional[int] = None
    memory_mb: Optional[int] = None
    max_output_bytes: Optional[int] = None
    stdin: Optional[str] = None
    files: Optional[List[InputFile]] = None
    return_files: Optional[bool] = None
    capabilities: Optional[List[Capability]] = None
    seed: Optional[int] = None


@dataclass(frozen=True)
class Branch(Program):
    """One branch of a fork: the code plus the options of a state eval."""

    checkpoint: Optional[bool] = None


@dataclass(frozen=True)
class ToolParam:
    name: str
    #: The parameter's WIT type, e.g. "list<item>".
    type: str


@dataclass(frozen=True)
class Tool:
    """A WebAssembly tool the caller's tenant may call (GET /v1/tools)."""

    name: str
    description: str
    #: The WIT signature, e.g. ``summarize(name: string, items: list<item>) -> summary``.
    signature: str
    params: List[ToolParam]
    #: The WIT result type; None for a tool that returns nothing.
    result: Optional[str]
    #: Definitions of the named WIT types the signature uses.
    types: Dict[str, str]
    #: Digest of the component file, pinned in the daemon's config.
    sha256: str
    #: WASI interfaces the component imports.
    interfaces: List[str]
    timeout_ms: int
    memory_mb: int


@dataclass(frozen=True)
class BatchProgress:
    status: BatchStatus
    #: Jobs in the batch.
    total: int
    #: Jobs with a recorded result.
    done: int


@dataclass(frozen=True)
class BatchResult:
    """One finished job, recorded once: its eval result, or the error that stopped it (an
    ArborError subclass for the wire code, not raised; ``status`` is None, as no HTTP answer
    carried it). Exactly one of ``response`` and ``error`` is set."""

    index: int
    response: Optional[EvalResult]
    error: Optional["ArborError"]


@dataclass(frozen=True)
class BatchView:
    """GET /v1/batches/{batch_id}: progress and the finished jobs in the requested range, by index."""

    id: str
    status: BatchStatus
    total: int
    done: int
    results: List[BatchResult]


#: Called after the first poll and whenever status or done changes.
ProgressCallback = Callable[[BatchProgress], None]
