# An order state machine: allowed transitions only, with an audit trail; illegal moves raise.
# bug: the transition check accepts any known state as a target
# break: "if new not in TRANSITIONS[self.state]:" -> "if new not in TRANSITIONS:"
from enum import Enum


class State(Enum):
    CREATED = "created"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


TRANSITIONS = {
    State.CREATED: {State.PAID, State.CANCELLED},
    State.PAID: {State.SHIPPED, State.REFUNDED},
    State.SHIPPED: {State.DELIVERED},
    State.DELIVERED: {State.REFUNDED},
    State.CANCELLED: set(),
    State.REFUNDED: set(),
}


class IllegalTransition(Exception):
    pass


class Order:
    def __init__(self, order_id: int):
        self.id = order_id
        self.state = State.CREATED
        self.trail = [State.CREATED]

    def move(self, new: State) -> None:
        if new not in TRANSITIONS[self.state]:
            raise IllegalTransition(f"order {self.id}: {self.state.value} -> {new.value}")
        self.state = new
        self.trail.append(new)


o = Order(1)
for s in (State.PAID, State.SHIPPED, State.DELIVERED, State.REFUNDED):
    o.move(s)
assert [s.value for s in o.trail] == ["created", "paid", "shipped", "delivered", "refunded"]
bad = Order(2)
for illegal in (State.SHIPPED, State.DELIVERED, State.REFUNDED):
    try:
        bad.move(illegal)
        raise AssertionError(f"allowed created -> {illegal}")
    except IllegalTransition:
        pass
bad.move(State.CANCELLED)
try:
    bad.move(State.PAID)
    raise AssertionError("cancelled order paid")
except IllegalTransition:
    pass
ok = 0
for i in range(2000):
    o = Order(i)
    path = [State.PAID, State.SHIPPED, State.DELIVERED][: i % 4]
    for s in path:
        o.move(s)
    ok += o.state is State.DELIVERED
assert ok == 500
