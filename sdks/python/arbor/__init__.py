"""Python client for the Arbor daemon: run untrusted Python in a fresh interpreter per call.

    from arbor import Client
    with Client(base_url="http://127.0.0.1:8787") as client:
        print(client.eval("6 * 7").result)   # '42'
"""
from .client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, Client, __version__
from .errors import (
    ERROR_CLASSES,
    RETRYABLE_CODES,
    ArborError,
    CapabilityDeniedError,
    ConnectionError,
    InternalError,
    InvalidRequestError,
    LimitExceededError,
    MethodNotAllowedError,
    NotFoundError,
    OverloadedError,
    PayloadTooLargeError,
    RateLimitedError,
    StateNotFoundError,
    UnauthorizedError,
    UnavailableError,
    UnsupportedMediaTypeError,
)
from .retry import DEFAULT_RETRY_POLICY, RetryPolicy, parse_retry_after, retry_delay_ms
from .state import State
from .transport import RawResponse
from .types import Branch, EvalResult, HostCall, InputFile, OutputFile, PythonError, StateInfo, Timing

__all__ = [
    "Client",
    "State",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT_MS",
    "__version__",
    "ArborError",
    "CapabilityDeniedError",
    "ConnectionError",
    "InternalError",
    "InvalidRequestError",
    "LimitExceededError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OverloadedError",
    "PayloadTooLargeError",
    "RateLimitedError",
    "StateNotFoundError",
    "UnauthorizedError",
    "UnavailableError",
    "UnsupportedMediaTypeError",
    "ERROR_CLASSES",
    "RETRYABLE_CODES",
    "DEFAULT_RETRY_POLICY",
    "RetryPolicy",
    "parse_retry_after",
    "retry_delay_ms",
    "RawResponse",
    "Branch",
    "EvalResult",
    "HostCall",
    "InputFile",
    "OutputFile",
    "PythonError",
    "StateInfo",
    "Timing",
]
