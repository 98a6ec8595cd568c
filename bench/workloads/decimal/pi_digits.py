# Pi to 600 decimal places with Machin's formula in Decimal arithmetic (with guard digits).
# bug: the arctan series never alternates its sign
# break: "        sign = -sign\n        total += sign * term / n" -> "        total += sign * term / n"
from decimal import Decimal, getcontext


def arctan_inv(x: int, prec: int) -> Decimal:
    getcontext().prec = prec
    x = Decimal(x)
    x2 = x * x
    term = 1 / x
    total = term
    n, sign = 1, 1
    eps = Decimal(10) ** -(prec - 2)
    while term > eps:
        term /= x2
        n += 2
        sign = -sign
        total += sign * term / n
    return total


def pi_digits(places: int) -> str:
    prec = places + 10
    pi = 4 * (4 * arctan_inv(5, prec) - arctan_inv(239, prec))
    getcontext().prec = places + 2
    return str(+pi)[: places + 2]


def reference(places: int) -> str:
    """The same formula in plain integers scaled by 10**(places+10): an independent check."""
    unity = 10 ** (places + 10)

    def atan_inv(x):
        total = term = unity // x
        n, x2, sign = 1, x * x, 1
        while term:
            term //= x2
            n += 2
            sign = -sign
            total += sign * (term // n)
        return total

    digits = str(4 * (4 * atan_inv(5) - atan_inv(239)) // 10**10)
    return digits[0] + "." + digits[1:places + 1]


p = pi_digits(600)
assert p.startswith("3.14159265358979323846264338327950288419716939937510582097494459")
assert p[:-3] == reference(600)[:-3]
assert pi_digits(5) == "3.14159"
