# A token-bucket rate limiter with an injectable clock: refills at `rate` tokens/s up to `capacity`.
# bug: refilled tokens are not capped at the capacity
# break: "self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)" -> "self.tokens = self.tokens + elapsed * self.rate"
class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class TokenBucket:
    def __init__(self, rate: float, capacity: float, clock):
        self.rate, self.capacity, self.clock = rate, capacity, clock
        self.tokens = capacity
        self.last = clock()

    def allow(self, cost: float = 1.0) -> bool:
        now = self.clock()
        elapsed = now - self.last
        self.last = now
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False


clock = FakeClock()
tb = TokenBucket(rate=2, capacity=5, clock=clock)
assert sum(tb.allow() for _ in range(10)) == 5
clock.t = 1.0
assert sum(tb.allow() for _ in range(10)) == 2
clock.t = 100.0
assert sum(tb.allow() for _ in range(10)) == 5
clock.t = 100.25
assert not tb.allow()
clock.t = 100.5
assert tb.allow()
allowed = 0
for step in range(1, 6001):
    clock.t = 200 + step * 0.01
    allowed += tb.allow()
assert 118 <= allowed <= 126, allowed
