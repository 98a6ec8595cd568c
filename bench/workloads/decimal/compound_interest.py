# Monthly compounding of a savings balance in Decimal with monthly deposits, rounded to cents every month.
# bug: the annual rate is applied every month without dividing by 12
# break: "monthly = Decimal(annual_rate) / 12" -> "monthly = Decimal(annual_rate)"
from decimal import Decimal, ROUND_HALF_EVEN, getcontext

getcontext().prec = 28
CENT = Decimal("0.01")


def grow(principal: str, annual_rate: str, months: int, deposit: str = "0") -> Decimal:
    balance = Decimal(principal)
    monthly = Decimal(annual_rate) / 12
    for _ in range(months):
        balance = (balance * (1 + monthly)).quantize(CENT, ROUND_HALF_EVEN)
        balance += Decimal(deposit)
    return balance


assert grow("1000.00", "0.12", 1) == Decimal("1010.00")
assert grow("1000.00", "0.06", 12) == Decimal("1061.68")
assert grow("0", "0.05", 24, "100") == Decimal("2518.60")
assert grow("500", "0", 36, "10") == Decimal("860")
totals = [grow("10000", f"0.0{r}", 120, "50") for r in range(1, 10)]
assert totals == sorted(totals) and totals[0] > Decimal("16000") and totals[-1] < Decimal("35000"), totals
