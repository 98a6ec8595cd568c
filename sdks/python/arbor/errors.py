"""The error tree: one class per wire error code (sdks/contract/error-codes.json, generated from
the daemon's registry) and ConnectionError for transport failures. Branch on ``code`` or on the
class; unknown codes arrive as the base ArborError with the code kept.

Note: ``arbor.ConnectionError`` is Arbor's own class (it mirrors the TypeScript SDK); it is not
the builtin ``ConnectionError``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Type

if TYPE_CHECKING:
    from .types import BatchProgress

__all__ = [
    "ArborError",
    "InvalidRequestError",
    "LimitExceededError",
    "UnauthorizedError",
    "CapabilityDeniedError",
    "NotFoundError",
    "StateNotFoundError",
    "BatchNotFoundError",
    "MethodNotAllowedError",
    "NotAcceptableError",
    "PayloadTooLargeError",
    "UnsupportedMediaTypeError",
    "OverloadedError",
    "RateLimitedError",
    "InternalError",
    "UnavailableError",
    "ConnectionError",
    "WaitTimeoutError",
    "ERROR_CLASSES",
    "RETRYABLE_CODES",
    "error_from_response",
    "error_from_envelope",
    "invalid_response",
]


class ArborError(Exception):
    """Any error from the client. ``status`` is None when no HTTP response arrived."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: Optional[int] = None,
        details: Any = None,
        request_id: Optional[str] = None,
        retry_after_seconds: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details
        self.request_id = request_id
        self.retry_after_seconds = retry_after_seconds

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, message={self.message!r})"


class InvalidRequestError(ArborError):
    pass


class LimitExceededError(ArborError):
    pass


class UnauthorizedError(ArborError):
    pass


class CapabilityDeniedError(ArborError):
    pass


class NotFoundError(ArborError):
    pass


class StateNotFoundError(ArborError):
    pass


class BatchNotFoundError(ArborError):
    pass


class StateIncompatibleError(ArborError):
    pass


class MethodNotAllowedError(ArborError):
    pass


class NotAcceptableError(ArborError):
    pass


class PayloadTooLargeError(ArborError):
    pass


class UnsupportedMediaTypeError(ArborError):
    pass


class OverloadedError(ArborError):
    pass


class RateLimitedError(ArborError):
    pass


class InternalError(ArborError):
    pass


class UnavailableError(ArborError):
    pass


class ConnectionError(ArborError):  # noqa: A001 - mirrors the TypeScript SDK's name
    """No usable HTTP response: refused, reset, DNS, or the client-side deadline (``timed_out``)."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message, code="connection_error")
        self.timed_out = timed_out


class WaitTimeoutError(ArborError):
    """Batch.wait or Batch.results gave up: the batch was not finished within ``timeout_ms``."""

    def __init__(self, message: str, progress: "BatchProgress") -> None:
        super().__init__(message, code="wait_timeout")
        #: The batch's progress at the last poll.
        self.progress = progress


#: Wire code -> class. The contract tests fail when a code of the daemon is missing here, and when
#: one here is not a daemon code (unless listed in sdks/contract/awaiting-daemon.json).
ERROR_CLASSES: Dict[str, Type[ArborError]] = {
    "invalid_request": InvalidRequestError,
    "limit_exceeded": LimitExceededError,
    "unauthorized": UnauthorizedError,
    "capability_denied": CapabilityDeniedError,
    "not_found": NotFoundError,
    "state_not_found": StateNotFoundError,
    "batch_not_found": BatchNotFoundError,
    "state_incompatible": StateIncompatibleError,
    "method_not_allowed": MethodNotAllowedError,
    "not_acceptable": NotAcceptableError,
    "payload_too_large": PayloadTooLargeError,
    "unsupported_media_type": UnsupportedMediaTypeError,
    "overloaded": OverloadedError,
    "rate_limited": RateLimitedError,
    "internal": InternalError,
    "unavailable": UnavailableError,
}

#: Codes the client retries (when ``retries`` > 0), honouring Retry-After.
RETRYABLE_CODES = frozenset({"overloaded", "rate_limited"})


def error_from_response(
    status: int,
    body: Any,
    *,
    request_id: Optional[str] = None,
    retry_after_seconds: Optional[float] = None,
) -> ArborError:
    """The typed error for a non-2xx response. Bodies that are not the error envelope keep the status."""
    envelope = body.get("error") if isinstance(body, dict) else None
    return error_from_envelope(
        envelope if isinstance(envelope, dict) else None,
        f"HTTP {status} without an Arbor error body",
        status=status,
        request_id=request_id,
        retry_after_seconds=retry_after_seconds,
    )


def error_from_envelope(
    envelope: Optional[Mapping[str, Any]],
    fallback_message: str,
    *,
    status: Optional[int] = None,
    request_id: Optional[str] = None,
    retry_after_seconds: Optional[float] = None,
) -> ArborError:
    """The typed error for the envelope's ``error`` object (``{code, message, details}``), also
    used for a batch job's error. Without a str ``code`` it is "unexpected_response" with
    ``fallback_message``."""
    envelope = envelope or {}
    code = envelope.get("code") if isinstance(envelope.get("code"), str) else "unexpected_response"
    message = envelope.get("message")
    if not isinstance(message, str):
        message = fallback_message
    cls = ERROR_CLASSES.get(code, ArborError)
    return cls(
        message,
        code=code,
        status=status,
        details=envelope.get("details"),
        request_id=request_id,
        retry_after_seconds=retry_after_seconds,
    )


def invalid_response(what: str, request_id: Optional[str] = None, *, status: Optional[int] = None) -> ArborError:
    """The daemon's answer does not have the documented shape (a client-side code)."""
    return ArborError(f"The daemon sent {what}.", code="invalid_response", status=status, request_id=request_id)
