# Transposes a ragged table (rows of different lengths) with zip_longest, filling gaps with a placeholder.
# bug: zip truncates to the shortest row
# break: "zip_longest(*rows, fillvalue=fill)" -> "zip(*rows)"
from itertools import zip_longest


def transpose(rows: list[list], fill=None) -> list[list]:
    return [list(col) for col in zip_longest(*rows, fillvalue=fill)]


assert transpose([[1, 2, 3], [4], [5, 6]]) == [[1, 4, 5], [2, None, 6], [3, None, None]]
assert transpose([]) == []
assert transpose([[1, 2]], fill=0) == [[1], [2]]
rows = [list(range(i % 17)) for i in range(400)]
cols = transpose(rows, fill=-1)
assert len(cols) == 16 and all(len(c) == 400 for c in cols)
assert sum(x for c in cols for x in c if x >= 0) == sum(sum(r) for r in rows)
