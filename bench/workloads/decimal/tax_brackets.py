# Progressive income tax: each bracket's rate applies only to the income inside that bracket.
# bug: the top bracket's rate is applied to the whole income
# break: "        tax += (min(income, upper) - lower) * rate" -> "        tax = income * rate"
from decimal import Decimal, ROUND_HALF_UP

BRACKETS = [
    (Decimal("0"), Decimal("11000"), Decimal("0.10")),
    (Decimal("11000"), Decimal("44725"), Decimal("0.12")),
    (Decimal("44725"), Decimal("95375"), Decimal("0.22")),
    (Decimal("95375"), Decimal("182100"), Decimal("0.24")),
    (Decimal("182100"), None, Decimal("0.32")),
]


def tax(income: Decimal) -> Decimal:
    tax = Decimal(0)
    for lower, upper, rate in BRACKETS:
        if income <= lower:
            break
        upper = income if upper is None else upper
        tax += (min(income, upper) - lower) * rate
    return tax.quantize(Decimal("0.01"), ROUND_HALF_UP)


assert tax(Decimal("0")) == Decimal("0.00")
assert tax(Decimal("10000")) == Decimal("1000.00")
assert tax(Decimal("50000")) == Decimal("6307.50")
assert tax(Decimal("200000")) == Decimal("42832.00")
prev = Decimal(-1)
for inc in range(0, 300_000, 250):
    t = tax(Decimal(inc))
    assert t >= prev
    assert t <= Decimal(inc) * Decimal("0.32")
    prev = t
