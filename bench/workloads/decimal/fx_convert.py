# Currency conversion through a rate table quoted against EUR; cross rates go via EUR; results rounded to cents.
# bug: converting into EUR multiplies by the quote instead of dividing
# break: "in_eur = amount / RATES[src]" -> "in_eur = amount * RATES[src]"
from decimal import Decimal, ROUND_HALF_UP

RATES = {"EUR": Decimal("1"), "USD": Decimal("1.0850"), "GBP": Decimal("0.8560"), "JPY": Decimal("162.40"), "CHF": Decimal("0.9710")}
MINOR = {"JPY": Decimal("1")}


def convert(amount: Decimal, src: str, dst: str) -> Decimal:
    in_eur = amount / RATES[src]
    out = in_eur * RATES[dst]
    return out.quantize(MINOR.get(dst, Decimal("0.01")), ROUND_HALF_UP)


assert convert(Decimal("100"), "EUR", "USD") == Decimal("108.50")
assert convert(Decimal("108.50"), "USD", "EUR") == Decimal("100.00")
assert convert(Decimal("100"), "GBP", "JPY") == Decimal("18972")
assert convert(Decimal("0"), "CHF", "USD") == Decimal("0.00")
for cur in RATES:
    for cents in range(1, 100_000, 4999):
        amt = Decimal(cents) / 100
        back = convert(convert(amt, "EUR", cur), cur, "EUR")
        assert abs(back - amt) <= Decimal("0.01") * (1 + Decimal(1) / RATES[cur]), (cur, amt, back)
