# Side of the largest all-1 square in a binary matrix (DP on the min of three neighbours).
# bug: takes the max of the neighbours instead of the min
# break: "dp[r][c] = 1 + min(dp[r - 1][c], dp[r][c - 1], dp[r - 1][c - 1])" -> "dp[r][c] = 1 + max(dp[r - 1][c], dp[r][c - 1], dp[r - 1][c - 1])"
def max_square(m: list[str]) -> int:
    if not m:
        return 0
    rows, cols = len(m), len(m[0])
    dp = [[0] * cols for _ in range(rows)]
    best = 0
    for r in range(rows):
        for c in range(cols):
            if m[r][c] == "1":
                if r == 0 or c == 0:
                    dp[r][c] = 1
                else:
                    dp[r][c] = 1 + min(dp[r - 1][c], dp[r][c - 1], dp[r - 1][c - 1])
                best = max(best, dp[r][c])
    return best


def brute(m):
    rows, cols, best = len(m), len(m[0]), 0
    for r in range(rows):
        for c in range(cols):
            k = 1
            while r + k <= rows and c + k <= cols and all(m[i][j] == "1" for i in range(r, r + k) for j in range(c, c + k)):
                best = max(best, k)
                k += 1
    return best


assert max_square(["10100", "10111", "11111", "10010"]) == 2
assert max_square(["0"]) == 0
assert max_square([]) == 0
for seed in range(12):
    m = ["".join("1" if (r * 3 + c * 5 + seed * r * c) % 7 else "0" for c in range(14)) for r in range(12)]
    assert max_square(m) == brute(m), seed
