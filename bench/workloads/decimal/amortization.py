# Loan amortization schedule in Decimal: fixed monthly payment, the last payment absorbs rounding so the balance ends at 0.
# bug: the final payment is not adjusted, leaving a few cents owed (or overpaid)
# break: "        if month == months:\n            payment = balance + interest\n" -> ""
from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")


def schedule(principal: str, annual_rate: str, months: int) -> list[tuple[int, Decimal, Decimal, Decimal]]:
    p = Decimal(principal)
    r = Decimal(annual_rate) / 12
    base_payment = (p * r / (1 - (1 + r) ** -months)).quantize(CENT, ROUND_HALF_UP) if r else (p / months).quantize(CENT, ROUND_HALF_UP)
    balance, rows = p, []
    for month in range(1, months + 1):
        interest = (balance * r).quantize(CENT, ROUND_HALF_UP)
        payment = base_payment
        if month == months:
            payment = balance + interest
        balance = balance + interest - payment
        rows.append((month, payment, interest, balance))
    return rows


rows = schedule("200000", "0.06", 360)
assert rows[0][1] == Decimal("1199.10") and rows[0][2] == Decimal("1000.00")
assert rows[-1][3] == 0
total_paid = sum(r[1] for r in rows)
assert Decimal("231000") < total_paid - 200000 < Decimal("232000"), total_paid
for principal, rate, months in [("1000", "0.05", 12), ("25000", "0.0399", 60), ("999.99", "0", 7), ("500000", "0.071", 240)]:
    s = schedule(principal, rate, months)
    assert s[-1][3] == 0 and len(s) == months
    assert sum(r[1] for r in s) - sum(r[2] for r in s) == Decimal(principal)
