"""Fixtures: a real Arbor daemon as a subprocess (``node daemon/bin/arbor.mjs serve``) with
sdks/contract/daemon-config.json, started once per session and killed at the end."""
from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
CONTRACT_DIR = REPO_ROOT / "sdks" / "contract"
API_KEY = "sdk-test-key"

# Test the sources in this tree, whether or not the package is installed.
sys.path.insert(0, str(REPO_ROOT / "sdks" / "python"))

from arbor import Client  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def daemon_url() -> Iterator[str]:
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [
            "node",
            "daemon/bin/arbor.mjs",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--config",
            str(CONTRACT_DIR / "daemon-config.json"),
        ],
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_healthy(url: str, proc: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"the daemon exited with {proc.returncode}:\n{log.read().decode(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as res:
                if res.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail("the daemon did not answer /healthz 200 within 90 s")


@pytest.fixture
def client(daemon_url: str) -> Iterator[Client]:
    with Client(base_url=daemon_url, api_key=API_KEY) as c:
        yield c

