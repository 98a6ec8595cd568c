# Square roots to 50 significant digits by Newton's method in Decimal, checked against Decimal.sqrt.
# bug: the iteration stops once consecutive guesses are within 1, long before 50 digits
# break: "if abs(nxt - guess) <= tolerance:" -> "if abs(nxt - guess) <= 1:"
from decimal import Decimal, localcontext


def newton_sqrt(n: Decimal, digits: int = 50) -> Decimal:
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = digits + 5
        guess = n if n > 1 else Decimal(1)
        tolerance = Decimal(10) ** (n.adjusted() // 2 - digits - 2)
        while True:
            nxt = (guess + n / guess) / 2
            if abs(nxt - guess) <= tolerance:
                break
            guess = nxt
    with localcontext() as ctx:
        ctx.prec = digits
        return +nxt


with localcontext() as ctx:
    ctx.prec = 50
    for s in ["2", "3", "10", "0.5", "12345678901234567890", "1E-20", "99.99"]:
        assert newton_sqrt(Decimal(s)) == Decimal(s).sqrt(), s
    for k in range(1, 200):
        assert newton_sqrt(Decimal(k)) == Decimal(k).sqrt()
assert newton_sqrt(Decimal(0)) == 0
