# Number of ways to decode a digit string where A=1 ... Z=26 ("226" -> 3); zeros must belong to 10 or 20.
# bug: a lone '0' is treated as a valid single-digit letter
# break: "        if s[i - 1] != \"0\":" -> "        if True:"
def decode_ways(s: str) -> int:
    if not s:
        return 0
    prev2, prev1 = 1, 1
    for i in range(1, len(s) + 1):
        cur = 0
        if s[i - 1] != "0":
            cur += prev1
        if i >= 2 and 10 <= int(s[i - 2:i]) <= 26:
            cur += prev2
        prev2, prev1 = prev1, cur
    return prev1


def brute(s):
    if not s:
        return 1
    n = 0
    if s[0] != "0":
        n += brute(s[1:])
        if len(s) >= 2 and int(s[:2]) <= 26:
            n += brute(s[2:])
    return n


assert decode_ways("12") == 2
assert decode_ways("226") == 3
assert decode_ways("06") == 0
assert decode_ways("100") == 0
assert decode_ways("2101") == 1
for k in range(1, 2000, 3):
    s = str(k * 7919)
    assert decode_ways(s) == brute(s), s
