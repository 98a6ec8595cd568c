"""Small scripted HTTP servers for what a healthy daemon will not do on demand: 429s with chosen
Retry-After values, silence past a deadline, a keep-alive socket dropped under us, a batch at
chosen moments of its run."""
from __future__ import annotations

import json
import socketserver
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

#: status, JSON body (None: no body), extra headers.
Answer = Tuple[int, Any, Dict[str, str]]


@dataclass(frozen=True)
class SeenRequest:
    method: str
    #: Path and query, as sent.
    path: str
    #: The parsed JSON body; None without one.
    body: Any

OK_EVAL = {
    "id": "req-fake",
    "status": "ok",
    "stdout": "",
    "stderr": "",
    "result": "1",
    "error": None,
    "host_calls": [],
    "timing": {"queue_ms": 0, "restore_ms": 0, "restore_wait_ms": 0, "exec_ms": 0, "checkpoint_ms": 0, "total_ms": 0},
}


def error_body(code: str, message: Optional[str] = None) -> Dict[str, Any]:
    return {"error": {"code": code, "message": message or f"fake {code}"}}


class _Serving:
    """Serves ``self._server`` on a daemon thread; a context manager that shuts it down."""

    _server: Any

    def _start(self, server: Any) -> None:
        server.daemon_threads = True
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class FakeServer(_Serving):
    """Answers every request with ``answer(n, request)`` (n counts from 1); None means never
    answer. ``seen`` keeps every request, in order."""

    def __init__(self, answer: Callable[[int, SeenRequest], Optional[Answer]]) -> None:
        self.requests = 0
        self.connections = 0
        self.seen: List[SeenRequest] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with outer._lock:
                    outer.connections += 1

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = SeenRequest(self.command, self.path, json.loads(raw) if raw else None)
                with outer._lock:
                    outer.requests += 1
                    n = outer.requests
                    outer.seen.append(request)
                reply = answer(n, request)
                if reply is None:
                    outer._release.wait(30)
                    self.close_connection = True
                    return
                status, body, headers = reply
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                if data:
                    self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

        self._start(ThreadingHTTPServer(("127.0.0.1", 0), Handler))

    def close(self) -> None:
        self._release.set()
        super().close()


class DroppingServer(_Serving):
    """A raw HTTP/1.1 server that answers GET requests with ``{"status":"ok"}`` and keep-alive,
    but drops the first connection, unanswered, when its second request arrives: what a client
    sees when the server closed an idle pooled socket just as the client reused it."""

    def __init__(self) -> None:
        self.requests = 0
        self.connections = 0
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.connections += 1
                connection = outer.connections
                on_this_socket = 0
                buffered = b""
                while True:
                    chunk = self.request.recv(65536)
                    if not chunk:
                        return
                    buffered += chunk
                    while b"\r\n\r\n" in buffered:
                        buffered = buffered.split(b"\r\n\r\n", 1)[1]
                        outer.requests += 1
                        on_this_socket += 1
                        if connection == 1 and on_this_socket == 2:
                            self.request.close()
                            return
                        body = b'{"status":"ok"}'
                        self.request.sendall(
                            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                            + f"content-length: {len(body)}\r\n".encode()
                            + b"connection: keep-alive\r\nkeep-alive: timeout=60\r\n\r\n"
                            + body
                        )

        self._start(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler))


def batch_view(batch_id: str, moment: Dict[str, Any], path: str) -> Dict[str, Any]:
    """The body of GET /v1/batches/{id}?from&limit for a batch at ``moment`` (``status``,
    ``total``, ``results``), as the daemon answers it: ``done`` counts every recorded result,
    ``results`` only those in the index range, by index."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    start = int(query.get("from", ["0"])[0])
    end = start + int(query["limit"][0]) if "limit" in query else moment["total"]
    return {
        "batch_id": batch_id,
        "status": moment["status"],
        "total": moment["total"],
        "done": len(moment["results"]),
        "created_at": "2030-01-01T00:00:00.000Z",
        "results": sorted((r for r in moment["results"] if start <= r["index"] < end), key=lambda r: r["index"]),
    }


def ok_result(index: int) -> Dict[str, Any]:
    """A recorded job result: an eval response whose ``result`` is the index."""
    return {"index": index, "response": {**OK_EVAL, "id": f"req-{index}", "result": str(index)}}
