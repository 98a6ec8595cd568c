# Parses money strings from spreadsheets: "$1,234.56", "(12.00)" for negatives, "-3", " 7.5 EUR " to Decimal.
# bug: accounting-style parentheses are not read as negative
# break: "    if neg_paren:\n        value = -value\n" -> ""
import re
from decimal import Decimal, InvalidOperation

MONEY = re.compile(r"^\s*(\()?\s*([-+])?\s*[$€£]?\s*([\d,]*\.?\d+)\s*(?:[A-Z]{3})?\s*(\))?\s*$")


def parse_money(s: str) -> Decimal:
    m = MONEY.match(s)
    if not m or bool(m.group(1)) != bool(m.group(4)):
        raise ValueError(f"not money: {s!r}")
    digits = m.group(3).replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"not money: {s!r}") from None
    if m.group(2) == "-":
        value = -value
    neg_paren = m.group(1) is not None
    if neg_paren:
        value = -value
    return value


assert parse_money("$1,234.56") == Decimal("1234.56")
assert parse_money("(12.00)") == Decimal("-12.00")
assert parse_money("-3") == Decimal("-3")
assert parse_money(" 7.5 EUR ") == Decimal("7.5")
assert parse_money("€.99") == Decimal("0.99")
for bad in ["", "abc", "(12", "1.2.3", "$"]:
    try:
        parse_money(bad)
        raise AssertionError(bad)
    except ValueError:
        pass
cells = [f"({i:,}.{i % 100:02d})" if i % 4 == 0 else f"${i:,}.{i % 100:02d}" for i in range(1, 3000)]
total = sum(parse_money(c) for c in cells)
expected = sum((-1 if i % 4 == 0 else 1) * (Decimal(i) + Decimal(i % 100) / 100) for i in range(1, 3000))
assert total == expected
