# An event emitter: on/off/once handlers per event, called in registration order with the emitted args.
# bug: off() removes every handler of the event, not just the given one
# break: "self._handlers[event] = [h for h in self._handlers.get(event, []) if h[0] is not fn]" -> "self._handlers[event] = []"
class Emitter:
    def __init__(self):
        self._handlers: dict[str, list[tuple]] = {}

    def on(self, event: str, fn, once: bool = False):
        self._handlers.setdefault(event, []).append((fn, once))
        return fn

    def once(self, event: str, fn):
        return self.on(event, fn, once=True)

    def off(self, event: str, fn) -> None:
        self._handlers[event] = [h for h in self._handlers.get(event, []) if h[0] is not fn]

    def emit(self, event: str, *args) -> int:
        handlers = list(self._handlers.get(event, []))
        self._handlers[event] = [h for h in handlers if not h[1]]
        for fn, _ in handlers:
            fn(*args)
        return len(handlers)


log = []
e = Emitter()
a = e.on("msg", lambda x: log.append(("a", x)))
b = e.on("msg", lambda x: log.append(("b", x)))
e.once("msg", lambda x: log.append(("once", x)))
assert e.emit("msg", 1) == 3
assert e.emit("msg", 2) == 2
e.off("msg", a)
assert e.emit("msg", 3) == 1
assert e.emit("nothing") == 0
assert log == [("a", 1), ("b", 1), ("once", 1), ("a", 2), ("b", 2), ("b", 3)]
counter = {"n": 0}
def inc(k):
    counter["n"] += k
hs = [e.on("tick", inc) for _ in range(10)]
e.on("tick", lambda k: None)
for i in range(500):
    e.emit("tick", 1)
    if i == 249:
        e.off("tick", inc)
assert counter["n"] == 250 * 10
