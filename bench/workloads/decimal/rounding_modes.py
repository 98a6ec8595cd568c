# Rounds prices for display: half-up for shop prices, half-even (banker's) for ledger totals.
# bug: half-up display goes through float round(), which is half-even on binary floats
# break: "return str(Decimal(amount).quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP))" -> "return f\"{round(float(amount), 2):.2f}\""
from decimal import Decimal, ROUND_HALF_EVEN, ROUND_HALF_UP


def display_price(amount: str) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def ledger_total(amounts: list[str]) -> Decimal:
    return sum((Decimal(a) for a in amounts), Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


assert display_price("2.675") == "2.68"
assert display_price("2.665") == "2.67"
assert display_price("-1.005") == "-1.01"
assert display_price("10") == "10.00"
assert ledger_total(["0.125", "0.000"]) == Decimal("0.12")
assert ledger_total(["0.135"]) == Decimal("0.14")
for cents in range(0, 100_000, 37):
    s = f"{cents // 1000}.{cents % 1000:03d}"
    d = Decimal(s)
    up = Decimal(display_price(s))
    assert abs(up - d) <= Decimal("0.005") and (d * 1000) % 10 != 5 or up >= d
