# Sliding windows of size n over any iterable (a deque-based generator), used for n-gram counts.
# bug: the first full window is never yielded
# break: "    if len(window) == n:\n        yield tuple(window)\n" -> ""
from collections import Counter, deque
from itertools import islice


def windows(iterable, n: int):
    it = iter(iterable)
    window = deque(islice(it, n), maxlen=n)
    if len(window) == n:
        yield tuple(window)
    for x in it:
        window.append(x)
        yield tuple(window)


def ngrams(words: list[str], n: int) -> Counter:
    return Counter(" ".join(w) for w in windows(words, n))


assert list(windows([1, 2, 3, 4], 2)) == [(1, 2), (2, 3), (3, 4)]
assert list(windows([1, 2], 3)) == []
assert list(windows("abc", 3)) == [("a", "b", "c")]
text = ("the cat sat on the mat and the cat ran " * 200).split()
bi = ngrams(text, 2)
assert bi["the cat"] == 400 and sum(bi.values()) == len(text) - 1
assert sum(1 for _ in windows(range(10_000), 50)) == 10_000 - 49
