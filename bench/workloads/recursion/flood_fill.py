# Recursive flood fill on a grid of characters from a start cell; returns the number of cells filled.
# bug: no lower bound check, so negative indices wrap around to the far edge
# break: "if not (0 <= r < len(grid) and 0 <= c < len(grid[0])):" -> "if r >= len(grid) or c >= len(grid[0]):"
import sys

sys.setrecursionlimit(10_000)


def fill(grid: list[list[str]], r: int, c: int, new: str) -> int:
    old = grid[r][c]
    if old == new:
        return 0

    def go(r, c):
        if not (0 <= r < len(grid) and 0 <= c < len(grid[0])):
            return 0
        if grid[r][c] != old:
            return 0
        grid[r][c] = new
        return 1 + go(r + 1, c) + go(r - 1, c) + go(r, c + 1) + go(r, c - 1)

    return go(r, c)


g = [list(row) for row in ["..#..", "..#..", "###..", "....."]]
assert fill(g, 0, 0, "o") == 4
assert ["".join(r) for r in g] == ["oo#..", "oo#..", "###..", "....."]
g = [list(row) for row in ["..#..", "..#..", "###..", "....."]]
assert fill(g, 3, 0, "x") == 11
assert ["".join(r) for r in g] == ["..#xx", "..#xx", "###xx", "xxxxx"]
big = [["#" if (r * r + 3 * c * c + r * c) % 11 == 0 else "." for c in range(60)] for r in range(60)]
n = fill(big, 5, 5, "~")
assert n == sum(row.count("~") for row in big) and n > 2000
