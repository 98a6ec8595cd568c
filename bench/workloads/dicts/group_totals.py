# Groups order records by customer and totals them; every customer gets its own list of orders.
# bug: dict.fromkeys shares one list among all customers
# break: "groups = {c: [] for c in customers}" -> "groups = dict.fromkeys(customers, [])"
def group_orders(orders: list[dict]) -> dict[str, dict]:
    customers = sorted({o["customer"] for o in orders})
    groups = {c: [] for c in customers}
    for o in orders:
        groups[o["customer"]].append(o)
    return {
        c: {"count": len(os), "total": round(sum(o["qty"] * o["price"] for o in os), 2), "ids": [o["id"] for o in os]}
        for c, os in groups.items()
    }


orders = [
    {"id": 1, "customer": "acme", "qty": 2, "price": 9.99},
    {"id": 2, "customer": "globex", "qty": 1, "price": 100.0},
    {"id": 3, "customer": "acme", "qty": 5, "price": 1.5},
]
g = group_orders(orders)
assert g == {"acme": {"count": 2, "total": 27.48, "ids": [1, 3]}, "globex": {"count": 1, "total": 100.0, "ids": [2]}}
assert group_orders([]) == {}
many = [{"id": i, "customer": f"c{i % 25}", "qty": 1 + i % 3, "price": 0.5} for i in range(3000)]
g = group_orders(many)
assert len(g) == 25 and all(v["count"] == 120 for v in g.values())
assert sum(v["total"] for v in g.values()) == sum(o["qty"] * 0.5 for o in many)
