"""An asyncio event loop for the sandbox: asyncio.run, tasks, gather, sleep and timeouts work.

The stdlib loop wakes itself through a socket pair, and the sandbox has no sockets; Pyodide's
own loop schedules through JavaScript timers, and the sandbox has no way to JavaScript. This
loop has no I/O to wait for (sandboxed code reaches the outside only through `host`, which
blocks), so waiting is sleeping until the next timer is due.
"""

import asyncio
import asyncio.events
import selectors
import time


class _NoIOSelector(selectors.BaseSelector):
    """Registers nothing; select() only waits out the loop's timeout."""

    def register(self, fileobj, events, data=None):
        raise OSError("the sandbox event loop has no I/O to wait for (use host.* calls)")

    def unregister(self, fileobj):
        raise KeyError(fileobj)

    def select(self, timeout=None):
        if timeout is None:
            # Nothing scheduled and nothing to wait for: the loop would wait forever.
            raise RuntimeError("event loop is idle with nothing scheduled (a future nobody resolves?)")
        if timeout > 0:
            time.sleep(timeout)
        return []

    def close(self):
        pass

    def get_map(self):
        return {}


class SandboxEventLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__(selector=_NoIOSelector())

    # No self-pipe: there are no other threads or signal handlers to wake the loop.
    def _make_self_pipe(self):
        pass

    def _close_self_pipe(self):
        pass

    def _write_to_self(self):
        pass


class SandboxEventLoopPolicy(asyncio.events._BaseDefaultEventLoopPolicy):
    _loop_factory = SandboxEventLoop


def install():
    asyncio.events._set_running_loop(None)
    asyncio.events._set_event_loop_policy(SandboxEventLoopPolicy())
