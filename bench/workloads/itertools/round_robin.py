# Round-robin interleaving of several job queues until all are drained (the itertools "roundrobin" recipe).
# bug: stops as soon as the shortest queue is empty
# break: "    while iterators:\n        for it in list(iterators):\n            try:\n                yield next(it)\n            except StopIteration:\n                iterators.remove(it)" -> "    for group in zip(*iterators):\n        yield from group"
def roundrobin(*iterables):
    iterators = [iter(x) for x in iterables]
    while iterators:
        for it in list(iterators):
            try:
                yield next(it)
            except StopIteration:
                iterators.remove(it)


assert list(roundrobin("ABC", "D", "EF")) == ["A", "D", "E", "B", "F", "C"]
assert list(roundrobin()) == []
assert list(roundrobin([], [1, 2])) == [1, 2]
queues = [[f"q{q}-{i}" for i in range(q * 10)] for q in range(1, 30)]
out = list(roundrobin(*queues))
assert len(out) == sum(len(q) for q in queues)
assert out[:3] == ["q1-0", "q2-0", "q3-0"] and out[-1] == "q29-289"
