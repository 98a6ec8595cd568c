# A stack that also reports its minimum in O(1), with push, pop, peek and min.
# bug: popping does not pop the running-minimum stack
# break: "        self._mins.pop()\n" -> ""
class MinStack:
    def __init__(self):
        self._items: list = []
        self._mins: list = []

    def push(self, x) -> None:
        self._items.append(x)
        self._mins.append(x if not self._mins else min(x, self._mins[-1]))

    def pop(self):
        if not self._items:
            raise IndexError("pop from empty stack")
        self._mins.pop()
        return self._items.pop()

    def peek(self):
        return self._items[-1]

    def min(self):
        if not self._mins:
            raise IndexError("min of empty stack")
        return self._mins[-1]

    def __len__(self) -> int:
        return len(self._items)


s = MinStack()
for x in [5, 3, 7, 3, 1]:
    s.push(x)
assert s.min() == 1
assert s.pop() == 1 and s.min() == 3
assert s.pop() == 3 and s.min() == 3
assert s.pop() == 7 and s.pop() == 3 and s.min() == 5
assert s.pop() == 5 and len(s) == 0
try:
    s.pop()
    raise AssertionError("expected IndexError")
except IndexError:
    pass
ref: list = []
for i in range(3000):
    v = (i * 7919) % 1000
    if i % 3 == 2:
        assert s.pop() == ref.pop()
    else:
        s.push(v)
        ref.append(v)
    if ref and i % 10 == 0:
        assert s.min() == min(ref)
assert s.min() == min(ref)
