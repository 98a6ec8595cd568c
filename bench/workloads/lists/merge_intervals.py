# Merges overlapping or touching closed intervals; the result is sorted and disjoint.
# bug: touching intervals ([1, 3] and [3, 5]) are not merged
# break: "and start <= merged[-1][1]:" -> "and start < merged[-1][1]:"
def merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(m) for m in merged]


assert merge([(1, 3), (2, 6), (8, 10), (15, 18)]) == [(1, 6), (8, 10), (15, 18)]
assert merge([(1, 4), (4, 5)]) == [(1, 5)]
assert merge([]) == []
assert merge([(5, 7), (1, 2), (2, 3)]) == [(1, 3), (5, 7)]
assert merge([(1, 10), (2, 3), (4, 5)]) == [(1, 10)]
spans = [((i * 37) % 1000, (i * 37) % 1000 + i % 9) for i in range(2000)]
out = merge(spans)
assert all(a[1] < b[0] for a, b in zip(out, out[1:]))
covered = {x for s, e in spans for x in range(s, e + 1)}
assert covered == {x for s, e in out for x in range(s, e + 1)}
