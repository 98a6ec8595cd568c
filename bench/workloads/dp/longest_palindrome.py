# Longest palindromic substring by expanding around every center (odd and even lengths).
# bug: only odd-length centers are tried
# break: "for lo, hi in ((i, i), (i, i + 1)):" -> "for lo, hi in ((i, i),):"
def longest_palindrome(s: str) -> str:
    best = s[:1]
    for i in range(len(s)):
        for lo, hi in ((i, i), (i, i + 1)):
            while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
                lo -= 1
                hi += 1
            if hi - lo - 1 > len(best):
                best = s[lo + 1:hi]
    return best


def brute(s):
    return max((s[i:j] for i in range(len(s)) for j in range(i + 1, len(s) + 1) if s[i:j] == s[i:j][::-1]), key=len, default="")


assert longest_palindrome("babad") in {"bab", "aba"}
assert longest_palindrome("cbbd") == "bb"
assert longest_palindrome("") == ""
assert longest_palindrome("a") == "a"
for n in range(1, 60, 4):
    s = "".join("ab"[(i * i + n) % 3 == 0] for i in range(n))
    assert len(longest_palindrome(s)) == len(brute(s)), s
assert longest_palindrome("x" + "ab" * 300 + "ba" * 300 + "y") == "ab" * 300 + "ba" * 300
