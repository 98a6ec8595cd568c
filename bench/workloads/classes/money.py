# A frozen Money dataclass in integer cents: currency-checked arithmetic and an even split that loses no cent.
# bug: adding amounts in different currencies is allowed
# break: "        if self.currency != other.currency:\n            raise ValueError(f\"currency mismatch: {self.currency} vs {other.currency}\")\n" -> ""
from dataclasses import dataclass


@dataclass(frozen=True)
class Money:
    cents: int
    currency: str

    def __add__(self, other: "Money") -> "Money":
        if self.currency != other.currency:
            raise ValueError(f"currency mismatch: {self.currency} vs {other.currency}")
        return Money(self.cents + other.cents, self.currency)

    def split(self, n: int) -> list["Money"]:
        base, extra = divmod(self.cents, n)
        return [Money(base + (1 if i < extra else 0), self.currency) for i in range(n)]

    def __str__(self) -> str:
        sign = "-" if self.cents < 0 else ""
        return f"{sign}{abs(self.cents) // 100}.{abs(self.cents) % 100:02d} {self.currency}"


assert str(Money(1050, "EUR") + Money(5, "EUR")) == "10.55 EUR"
assert str(Money(-7, "USD")) == "-0.07 USD"
assert [m.cents for m in Money(100, "USD").split(3)] == [34, 33, 33]
try:
    Money(1, "USD") + Money(1, "EUR")
    raise AssertionError("mixed currencies added")
except ValueError:
    pass
try:
    Money(1, "USD").cents = 5
    raise AssertionError("frozen dataclass mutated")
except AttributeError:
    pass
for total in range(0, 5000, 37):
    for n in (1, 2, 3, 7, 10):
        parts = Money(total, "JPY").split(n)
        assert sum(p.cents for p in parts) == total and max(p.cents for p in parts) - min(p.cents for p in parts) <= 1
