"""The wire's closed sets of names, each spelled once in this SDK. The tuples are derived from the
Literal types, and tests/test_openapi.py fails when one differs from sdks/openapi.json."""
from __future__ import annotations

from typing import FrozenSet, Literal, Tuple, get_args

__all__ = [
    "CallStatus",
    "CALL_STATUSES",
    "Capability",
    "CAPABILITIES",
    "HostCallOutcome",
    "HOST_CALL_OUTCOMES",
    "BatchStatus",
    "BATCH_STATUSES",
    "FINAL_BATCH_STATUSES",
]

#: How a call ended (EvalResponse ``status``).
CallStatus = Literal["ok", "error", "timeout", "memory_limit", "output_limit", "crashed"]
CALL_STATUSES: Tuple[str, ...] = get_args(CallStatus)

#: Host capabilities a call may ask for (the request's ``capabilities`` items).
Capability = Literal["shell", "files", "web_fetch", "tools"]
CAPABILITIES: Tuple[str, ...] = get_args(Capability)

#: How one host call ended (the host call record's ``outcome``).
HostCallOutcome = Literal["ok", "denied", "error"]
HOST_CALL_OUTCOMES: Tuple[str, ...] = get_args(HostCallOutcome)

#: Where a batch is (GET /v1/batches/{batch_id} ``status``); ``done`` and ``cancelled`` are final.
BatchStatus = Literal["queued", "running", "done", "cancelled"]
BATCH_STATUSES: Tuple[str, ...] = get_args(BatchStatus)

FINAL_BATCH_STATUSES: FrozenSet[BatchStatus] = frozenset({"done", "cancelled"})
