# Counts N-queens solutions by backtracking with column and diagonal sets, for n = 1..8.
# bug: only one of the two diagonals is checked
# break: "if col in cols or row - col in diag1 or row + col in diag2:" -> "if col in cols or row - col in diag1:"
def n_queens(n: int) -> int:
    cols, diag1, diag2 = set(), set(), set()

    def place(row: int) -> int:
        if row == n:
            return 1
        total = 0
        for col in range(n):
            if col in cols or row - col in diag1 or row + col in diag2:
                continue
            cols.add(col)
            diag1.add(row - col)
            diag2.add(row + col)
            total += place(row + 1)
            cols.remove(col)
            diag1.remove(row - col)
            diag2.remove(row + col)
        return total

    return place(0)


assert [n_queens(n) for n in range(1, 9)] == [1, 0, 0, 2, 10, 4, 40, 92]
