# A bank account class: deposits, withdrawals that may not overdraw, transfers, and a transaction history.
# bug: checks that the balance is positive instead of sufficient, so an account can be overdrawn
# break: "if amount > self.balance:" -> "if self.balance <= 0:"
class InsufficientFunds(Exception):
    pass


class Account:
    def __init__(self, owner: str, balance: int = 0):
        self.owner = owner
        self.balance = balance
        self.history: list[tuple[str, int]] = []

    def deposit(self, amount: int) -> None:
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount: int) -> None:
        if amount <= 0:
            raise ValueError("withdrawal must be positive")
        if amount > self.balance:
            raise InsufficientFunds(f"{self.owner}: balance {self.balance} < {amount}")
        self.balance -= amount
        self.history.append(("withdraw", amount))

    def transfer(self, other: "Account", amount: int) -> None:
        self.withdraw(amount)
        other.deposit(amount)


a, b = Account("ann", 100), Account("bob")
a.transfer(b, 60)
assert (a.balance, b.balance) == (40, 60)
try:
    a.transfer(b, 50)
    raise AssertionError("overdraft allowed")
except InsufficientFunds:
    pass
assert (a.balance, b.balance) == (40, 60)
for bad in (0, -5):
    try:
        a.deposit(bad)
        raise AssertionError("bad deposit accepted")
    except ValueError:
        pass
acct = Account("c", 0)
for i in range(1, 2000):
    acct.deposit(i)
    if i % 3 == 0:
        acct.withdraw(i * 2 if i * 2 <= acct.balance else 1)
assert acct.balance == sum(a for k, a in acct.history if k == "deposit") - sum(a for k, a in acct.history if k == "withdraw")
