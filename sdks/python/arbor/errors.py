"""The error tree: one class per wire error code (sdks/contract/error-codes.json, generated from
the daemon's registry) and ConnectionError for transport failures. Branch on ``code`` or on the
class; unknown codes arrive as the base ArborError with the code kept.

Note: ``arbor.ConnectionError`` is Arbor's own class (it mirrors the TypeScript SDK); it is not
the builtin ``ConnectionError``.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "ArborError",
    "InvalidRequestError",
    "LimitExceededError",
    "UnauthorizedError",
    "CapabilityDeniedError",
    "NotFoundError",
    "StateNotFoundError",
    "MethodNotAllowedError",
    "PayloadTooLargeError",
    "UnsupportedMediaTypeError",
    "OverloadedError",
    "RateLimitedError",
    "InternalError",
    "UnavailableError",
    "ConnectionError",
    "ERROR_CLASSES",
    "RETRYABLE_CODES",
    "error_from_response",
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


class MethodNotAllowedError(ArborError):
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


#: Wire code -> class. The contract tests fail when a code of the daemon is missing here.
ERROR_CLASSES: Dict[str, Type[ArborError]] = {
    "invalid_request": InvalidRequestError,
    "limit_exceeded": LimitExceededError,
    "unauthorized": UnauthorizedError,
    "capability_denied": CapabilityDeniedError,
    "not_found": NotFoundError,
    "state_not_found": StateNotFoundError,
    "method_not_allowed": MethodNotAllowedError,
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
    envelope = envelope if isinstance(envelope, dict) else {}
    code = envelope.get("code") if isinstance(envelope.get("code"), str) else "unexpected_response"
    message = envelope.get("message")
    if not isinstance(message, str):
        message = f"HTTP {status} without an Arbor error body"
    cls = ERROR_CLASSES.get(code, ArborError)
    return cls(
        message,
        code=code,
        status=status,
        details=envelope.get("details"),
        request_id=request_id,
        retry_after_seconds=retry_after_seconds,
    )
