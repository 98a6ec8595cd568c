# Invoice totals in Decimal: each line rounded half-up to cents, then VAT per rate group, then the grand total.
# bug: line amounts go through float, so half-cent lines round the wrong way
# break: "(Decimal(qty) * Decimal(price)).quantize(CENT, ROUND_HALF_UP)" -> "Decimal(str(round(qty * float(price), 2)))"
from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")


def invoice_total(lines: list[tuple[int, str, str]]) -> dict[str, Decimal]:
    net_by_rate: dict[str, Decimal] = {}
    for qty, price, rate in lines:
        amount = (Decimal(qty) * Decimal(price)).quantize(CENT, ROUND_HALF_UP)
        net_by_rate[rate] = net_by_rate.get(rate, Decimal(0)) + amount
    net = sum(net_by_rate.values(), Decimal(0))
    vat = sum(((n * Decimal(r)).quantize(CENT, ROUND_HALF_UP) for r, n in net_by_rate.items()), Decimal(0))
    return {"net": net, "vat": vat, "gross": net + vat}


t = invoice_total([(3, "19.99", "0.19"), (1, "0.005", "0.19"), (2, "7.50", "0.07")])
assert t == {"net": Decimal("74.98"), "vat": Decimal("12.45"), "gross": Decimal("87.43")}, t
assert invoice_total([(1, "1.005", "0")])["net"] == Decimal("1.01")
assert invoice_total([]) == {"net": 0, "vat": 0, "gross": 0}
lines = [(1 + i % 4, f"{i % 50}.{(i * 7) % 1000:03d}", ("0.19", "0.07", "0")[i % 3]) for i in range(1500)]
big = invoice_total(lines)
assert big["gross"] == big["net"] + big["vat"]
assert big["net"] == sum((Decimal(q) * Decimal(p)).quantize(CENT, ROUND_HALF_UP) for q, p, _ in lines)
