# Roman numerals both ways (1..3999); parsing handles the subtractive forms (IV, XC, CM).
# bug: the subtractive rule compares with <= so equal neighbours (II, XX) subtract
# break: "if value < nxt:" -> "if value <= nxt:"
NUMERALS = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(n: int) -> str:
    if not 0 < n < 4000:
        raise ValueError(n)
    out = []
    for value, sym in NUMERALS:
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)


def from_roman(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        value = VALUES[ch]
        nxt = VALUES[s[i + 1]] if i + 1 < len(s) else 0
        if value < nxt:
            total -= value
        else:
            total += value
    return total


assert to_roman(1994) == "MCMXCIV"
assert to_roman(3999) == "MMMCMXCIX"
assert from_roman("MCMXCIV") == 1994
assert from_roman("III") == 3
for n in range(1, 4000):
    assert from_roman(to_roman(n)) == n
try:
    to_roman(0)
    raise AssertionError("0 must be rejected")
except ValueError:
    pass
