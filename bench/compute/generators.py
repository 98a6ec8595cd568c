# Generator pipelines: chained generator functions, generator expressions and itertools consumers.
import itertools

NAME = "generators"
ITERATIONS = 10
EXPECTED = (562387505000, 2667, 2695500)


def numbers(n):
    for i in range(n):
        yield i


def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x


def squares(it):
    for x in it:
        yield x * x


def bench():
    total = sum(squares(evens(numbers(15000))))
    windows = sum(1 for a, b in zip(numbers(8000), itertools.islice(numbers(8001), 1, None)) if (a + b) % 3 == 0)
    chained = sum(x for x in itertools.chain(range(3000), (y * 2 for y in range(3000))) if x % 5 == 0)
    return total, windows, chained
