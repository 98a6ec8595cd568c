# Splits a list into consecutive chunks of size n; the last chunk may be shorter.
# bug: the final partial chunk is dropped
# break: "range(0, len(items), n)" -> "range(0, len(items) - n + 1, n)"
def chunks(items: list, n: int) -> list[list]:
    if n <= 0:
        raise ValueError("chunk size must be positive")
    return [items[i:i + n] for i in range(0, len(items), n)]


assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
assert chunks([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]
assert chunks([], 3) == []
assert chunks([1], 5) == [[1]]
try:
    chunks([1], 0)
    raise AssertionError("expected ValueError")
except ValueError:
    pass
for size in range(1, 60):
    data = list(range(size * 3 + 1))
    parts = chunks(data, size)
    assert [x for p in parts for x in p] == data
    assert all(len(p) == size for p in parts[:-1]) and 1 <= len(parts[-1]) <= size
