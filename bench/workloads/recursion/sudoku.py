# Backtracking sudoku solver (most-constrained cell first); checks the solution's rows, columns and boxes.
# bug: the 3x3 box of a cell is computed from the wrong coordinate
# break: "br, bc = 3 * (r // 3), 3 * (c // 3)" -> "br, bc = 3 * (r // 3), 3 * (r // 3)"
def candidates(g, r, c):
    used = set(g[r]) | {g[i][c] for i in range(9)}
    br, bc = 3 * (r // 3), 3 * (c // 3)
    used |= {g[i][j] for i in range(br, br + 3) for j in range(bc, bc + 3)}
    return [d for d in range(1, 10) if d not in used]


def solve(g) -> bool:
    best = None
    for r in range(9):
        for c in range(9):
            if g[r][c] == 0:
                cands = candidates(g, r, c)
                if best is None or len(cands) < len(best[2]):
                    best = (r, c, cands)
    if best is None:
        return True
    r, c, cands = best
    for d in cands:
        g[r][c] = d
        if solve(g):
            return True
    g[r][c] = 0
    return False


puzzle = [
    "53..7....", "6..195...", ".98....6.", "8...6...3", "4..8.3..1",
    "7...2...6", ".6....28.", "...419..5", "....8..79",
]
grid = [[int(ch) if ch != "." else 0 for ch in row] for row in puzzle]
assert solve(grid)
full = set(range(1, 10))
assert all(set(row) == full for row in grid)
assert all({grid[r][c] for r in range(9)} == full for c in range(9))
assert all({grid[r][c] for r in range(br, br + 3) for c in range(bc, bc + 3)} == full for br in (0, 3, 6) for bc in (0, 3, 6))
assert all(grid[r][c] == int(puzzle[r][c]) for r in range(9) for c in range(9) if puzzle[r][c] != ".")
