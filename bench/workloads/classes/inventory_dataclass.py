# A dataclass inventory: items sort by (category, name), totals per category, restock below a threshold.
# bug: the item list default is one shared mutable object across warehouses
# break: "items: list[Item] = field(default_factory=list)" -> "items: list[Item] = field(default_factory=lambda: SHARED)"
from dataclasses import dataclass, field

SHARED: list = []


@dataclass(order=True)
class Item:
    category: str
    name: str
    qty: int = field(default=0, compare=False)
    unit_price: float = field(default=0.0, compare=False)

    @property
    def value(self) -> float:
        return self.qty * self.unit_price


@dataclass
class Warehouse:
    name: str
    items: list[Item] = field(default_factory=list)

    def add(self, item: Item) -> None:
        self.items.append(item)

    def totals(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for it in sorted(self.items):
            out[it.category] = round(out.get(it.category, 0.0) + it.value, 2)
        return out

    def restock(self, threshold: int) -> list[str]:
        return [it.name for it in sorted(self.items) if it.qty < threshold]


north, south = Warehouse("north"), Warehouse("south")
north.add(Item("tools", "hammer", 5, 12.5))
north.add(Item("fasteners", "bolt", 500, 0.1))
north.add(Item("tools", "drill", 1, 89.99))
south.add(Item("paint", "white", 2, 20.0))
assert north.totals() == {"fasteners": 50.0, "tools": 152.49}
assert north.restock(3) == ["drill"]
assert [i.name for i in south.items] == ["white"]
assert Item("a", "b", 1) == Item("a", "b", 99)
big = Warehouse("big")
for i in range(2000):
    big.add(Item(f"c{i % 9}", f"item{i:04d}", i % 17, 1.25))
assert len(big.restock(2)) == len([i for i in range(2000) if i % 17 < 2])
assert sum(big.totals().values()) == sum((i % 17) * 1.25 for i in range(2000))
