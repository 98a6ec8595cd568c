"""An agent-style loop: 50 tool calls, each Python snippet run in a fresh interpreter.

An agent framework would put an LLM where `plan()` is; here the "model" is a fixed script that
explores a dataset the way an analyst agent does, one small cell at a time, and gets an error
back (not an exception) when a cell fails.

    npm start                                  # in another shell: the daemon on 127.0.0.1:8787
    python3 docs/examples/agent_loop.py        # ARBOR_URL / ARBOR_API_KEY to point elsewhere
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "sdks", "python"))

from arbor import Client  # noqa: E402

DATA = "\n".join(f"{i},{(i * 37) % 101},{'abc'[i % 3]}" for i in range(200))


def plan(step, last):
    """The stand-in for the model: the next cell to run, given the last observation."""
    if step % 10 == 9:
        return "undefined_name + 1"  # agents make mistakes; the sandbox reports them as data
    return (
        "import csv, io, statistics\n"
        f"rows = list(csv.reader(io.StringIO({DATA!r})))\n"
        f"vals = [int(r[1]) for r in rows if r[2] == {'abc'[step % 3]!r}]\n"
        f"round(statistics.mean(vals) + {step}, 3)"
    )


def main():
    client = Client(base_url=os.environ.get("ARBOR_URL", "http://127.0.0.1:8787"), api_key=os.environ.get("ARBOR_API_KEY"))
    ok = errors = 0
    last = None
    with client:
        for step in range(50):
            result = client.eval(plan(step, last), timeout_ms=5000)
            if result.status == "ok":
                ok += 1
                last = result.result
            else:
                errors += 1
                last = f"{result.error.type}: {result.error.message}"
    print(f"steps=50 ok={ok} errors={errors} last={last}")
    return 0 if ok == 45 and errors == 5 else 1


if __name__ == "__main__":
    sys.exit(main())
