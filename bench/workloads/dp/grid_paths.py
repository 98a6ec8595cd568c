# Counts monotone (right/down) paths through a grid with obstacles, top-left to bottom-right.
# bug: the first row and column are filled with 1s even past an obstacle
# break: "                dp[r][c] = (dp[r - 1][c] if r else 0) + (dp[r][c - 1] if c else 0)" -> "                dp[r][c] = 1 if r == 0 or c == 0 else dp[r - 1][c] + dp[r][c - 1]"
from math import comb


def count_paths(grid: list[str]) -> int:
    rows, cols = len(grid), len(grid[0])
    dp = [[0] * cols for _ in range(rows)]
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == "#":
                dp[r][c] = 0
            elif r == 0 and c == 0:
                dp[r][c] = 1
            else:
                dp[r][c] = (dp[r - 1][c] if r else 0) + (dp[r][c - 1] if c else 0)
    return dp[-1][-1]


assert count_paths(["...", ".#.", "..."]) == 2
assert count_paths([".#", ".."]) == 1
assert count_paths(["..#", "..."]) == 2
assert count_paths([".#.", "..."]) == 1
assert count_paths([".", "#", "."]) == 0
assert count_paths(["#"]) == 0
assert count_paths(["." * 20] * 20) == comb(38, 19)
g = ["".join("#" if (r * 7 + c * 3) % 11 == 0 and (r, c) not in ((0, 0), (59, 59)) else "." for c in range(60)) for r in range(60)]
g[0] = "." * 30 + "#" + "." * 29
memo: dict = {}


def walk(r, c):
    if r >= 60 or c >= 60 or g[r][c] == "#":
        return 0
    if (r, c) == (59, 59):
        return 1
    if (r, c) not in memo:
        memo[(r, c)] = walk(r + 1, c) + walk(r, c + 1)
    return memo[(r, c)]


assert count_paths(g) == walk(0, 0) > 0
