# decimal.Decimal arithmetic: money sums with quantize, division and a compound-interest loop.
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

NAME = "decimal"
ITERATIONS = 10
EXPECTED = ('1499985.00', '1784982.30', '12118.95', '71427.86')
CENT = Decimal("0.01")
PRICES = [Decimal(f"{i % 1000}.{i % 100:02d}") for i in range(3000)]


def bench():
    with localcontext() as ctx:
        ctx.prec = 28
        total = sum(PRICES, Decimal(0))
        taxed = sum((p * Decimal("1.19")).quantize(CENT, ROUND_HALF_EVEN) for p in PRICES)
        balance = Decimal("1000")
        for _ in range(600):
            balance = (balance * (1 + Decimal("0.05") / 12)).quantize(CENT, ROUND_HALF_EVEN)
        ratios = sum(p / 7 for p in PRICES[:1000])
        return str(total), str(taxed), str(balance), str(ratios.quantize(CENT))
