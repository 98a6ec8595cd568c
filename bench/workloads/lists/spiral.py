# Spiral (clockwise) traversal of a rectangular matrix.
# bug: a single remaining row or column is walked twice
# break: "        if top <= bottom:\n" -> "        if True:\n"
def spiral(m: list[list[int]]) -> list[int]:
    out = []
    if not m:
        return out
    top, bottom, left, right = 0, len(m) - 1, 0, len(m[0]) - 1
    while top <= bottom and left <= right:
        out.extend(m[top][c] for c in range(left, right + 1))
        top += 1
        out.extend(m[r][right] for r in range(top, bottom + 1))
        right -= 1
        if top <= bottom:
            out.extend(m[bottom][c] for c in range(right, left - 1, -1))
            bottom -= 1
        if left <= right:
            out.extend(m[r][left] for r in range(bottom, top - 1, -1))
            left += 1
    return out


assert spiral([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [1, 2, 3, 6, 9, 8, 7, 4, 5]
assert spiral([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]) == [1, 2, 3, 4, 8, 12, 11, 10, 9, 5, 6, 7]
assert spiral([[1, 2, 3]]) == [1, 2, 3]
assert spiral([[1], [2], [3]]) == [1, 2, 3]
assert spiral([]) == []
for rows in range(1, 25):
    for cols in range(1, 25):
        m = [[r * cols + c for c in range(cols)] for r in range(rows)]
        s = spiral(m)
        assert sorted(s) == list(range(rows * cols)), (rows, cols)
