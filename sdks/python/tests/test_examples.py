"""The docs' examples run against a real daemon, so the docs cannot rot."""
import os
import subprocess
import sys

from conftest import API_KEY, REPO_ROOT


def test_examples_run_against_a_real_daemon(daemon_url):
    """The Python example here (agent_loop: 50 calls), the TypeScript one (rl_tree) in the TS twin."""
    env = dict(os.environ, ARBOR_URL=daemon_url, ARBOR_API_KEY=API_KEY)
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "docs" / "examples" / "agent_loop.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "steps=50 ok=45 errors=5" in proc.stdout
