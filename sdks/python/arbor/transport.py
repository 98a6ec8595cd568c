"""One HTTP exchange with the daemon over pooled keep-alive ``http.client`` connections: auth
header, client-side deadline, JSON in and out, and non-2xx answers turned into typed errors.
Retries of 429s live in client.py; the one retry here is for a pooled connection the server
already closed (the request never reached the daemon, so sending it again is safe)."""
from __future__ import annotations

import http.client
import json as _json
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from .errors import ConnectionError, error_from_response, invalid_response
from .retry import parse_retry_after

# What a reused keep-alive socket that the server had closed looks like on the next request.
_STALE_SOCKET_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: Dict[str, str]
    #: Parsed JSON, or None for an empty body (204).
    body: Any
    request_id: Optional[str]


class Transport:
    def __init__(self, base_url: str, api_key: Optional[str], timeout_ms: float, max_idle: int, user_agent: str) -> None:
        url = urllib.parse.urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"base_url must be http(s)://host[:port][/prefix], got {base_url!r}")
        self.base_url = base_url
        self.timeout_ms = timeout_ms
        self._https = url.scheme == "https"
        self._host = url.hostname
        self._port = url.port or (443 if self._https else 80)
        self._prefix = url.path.rstrip("/")
        self._api_key = api_key
        self._user_agent = user_agent
        self._max_idle = max_idle
        self._idle: List[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._closed = False

    def send(
        self, method: str, path: str, *, json: Any = None, raw: Optional[str] = None, timeout_ms: Optional[float] = None
    ) -> RawResponse:
        if self._closed:
            raise ConnectionError("The client is closed.")
        deadline_ms = self.timeout_ms if timeout_ms is None else timeout_ms
        body = raw.encode("utf-8") if raw is not None else (None if json is None else _json.dumps(json).encode("utf-8"))
        conn, reused = self._acquire()
        while True:
            try:
                return self._exchange(conn, method, path, body, deadline_ms)
            except _Stale:
                if not reused:
                    raise ConnectionError(f"Arbor at {self.base_url} closed the connection without answering.") from None
                conn, reused = self._new_connection(), False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _exchange(
        self, conn: http.client.HTTPConnection, method: str, path: str, body: Optional[bytes], deadline_ms: float
    ) -> RawResponse:
        # http.client's timeout applies to connecting and to each wait for data.
        timeout_s = deadline_ms / 1000
        conn.timeout = timeout_s
        if conn.sock is not None:
            conn.sock.settimeout(timeout_s)
        try:
            conn.request(method, self._prefix + path, body=body, headers=self._headers(body is not None))
            response = conn.getresponse()
            data = response.read()
        except socket.timeout:
            conn.close()
            raise ConnectionError(f"No response within {deadline_ms:g} ms.", timed_out=True) from None
        except _STALE_SOCKET_ERRORS as exc:
            conn.close()
            raise _Stale() from exc
        except OSError as exc:
            conn.close()
            raise ConnectionError(f"Cannot reach Arbor at {self.base_url}: {exc}") from exc
        except http.client.HTTPException as exc:
            conn.close()
            raise ConnectionError(f"Bad HTTP from Arbor at {self.base_url}: {exc!r}") from exc
        if response.will_close:
            conn.close()
        else:
            self._release(conn)
        headers = {k.lower(): v for k, v in response.getheaders()}
        request_id = headers.get("x-request-id")
        parsed = _parse_body(data, response.status, request_id)
        if not 200 <= response.status < 300:
            raise error_from_response(
                response.status,
                parsed,
                request_id=request_id,
                retry_after_seconds=parse_retry_after(headers.get("retry-after")),
            )
        return RawResponse(response.status, headers, parsed, request_id)

    def _headers(self, has_body: bool) -> Dict[str, str]:
        headers = {"accept": "application/json", "user-agent": self._user_agent}
        if has_body:
            headers["content-type"] = "application/json"
        if self._api_key is not None:
            headers["authorization"] = f"Bearer {self._api_key}"
        return headers

    def _acquire(self) -> Tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self._new_connection(), False

    def _release(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self._max_idle:
                self._idle.append(conn)
                return
        conn.close()

    def _new_connection(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return cls(self._host, self._port, timeout=self.timeout_ms / 1000)


class _Stale(Exception):
    """A reused connection was closed by the server before answering."""


def _parse_body(data: bytes, status: int, request_id: Optional[str]) -> Any:
    if not data:
        return None
    try:
        return _json.loads(data)
    except ValueError:
        # A non-JSON error body still becomes a typed error, by status; a non-JSON success is a bug.
        if status >= 300:
            return data.decode("utf-8", "replace")
        raise invalid_response(f"a response that is not JSON (HTTP {status})", request_id, status=status) from None
