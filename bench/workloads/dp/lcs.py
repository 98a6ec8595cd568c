# Longest common subsequence: the length table and one actual subsequence, validated as a subsequence of both.
# bug: a matching character does not extend the diagonal
# break: "dp[i][j] = dp[i - 1][j - 1] + 1" -> "dp[i][j] = max(dp[i - 1][j], dp[i][j - 1])"
def lcs(a: str, b: str) -> str:
    n, m = len(a), len(b)
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            if a[i - 1] == b[j - 1]:
                dp[i][j] = dp[i - 1][j - 1] + 1
            else:
                dp[i][j] = max(dp[i - 1][j], dp[i][j - 1])
    out, i, j = [], n, m
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i, j = i - 1, j - 1
        elif dp[i - 1][j] >= dp[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return "".join(reversed(out))


def is_subsequence(s: str, t: str) -> bool:
    it = iter(t)
    return all(ch in it for ch in s)


assert lcs("ABCBDAB", "BDCABA") in {"BCBA", "BDAB", "BCAB"}
assert lcs("abc", "def") == ""
assert lcs("", "abc") == ""
x = "".join("ab"[(i * 7) % 3 == 0] + "c" * (i % 2) for i in range(250))
y = "".join("ba"[(i * 5) % 4 == 0] + "c" * (i % 3 == 0) for i in range(250))
s = lcs(x, y)
assert is_subsequence(s, x) and is_subsequence(s, y)
assert len(s) == len(lcs(y, x)) and len(s) > 150, len(s)
