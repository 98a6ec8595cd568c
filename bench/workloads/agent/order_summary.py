# Agent tool: summarize an orders API payload (JSON): revenue per currency, top customers, excluding cancelled orders.
# bug: cancelled orders are counted in revenue
# break: "        if order[\"status\"] == \"cancelled\":\n            continue\n" -> ""
import json
from collections import Counter, defaultdict


def summarize(payload: str) -> dict:
    data = json.loads(payload)
    revenue: dict[str, int] = defaultdict(int)
    per_customer: Counter = Counter()
    count = 0
    for order in data["orders"]:
        if order["status"] == "cancelled":
            continue
        cents = sum(l["qty"] * l["unit_cents"] for l in order["lines"])
        revenue[order["currency"]] += cents
        per_customer[order["customer"]["id"]] += cents
        count += 1
    return {
        "orders": count,
        "revenue": dict(sorted(revenue.items())),
        "top_customers": [c for c, _ in sorted(per_customer.items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
    }


payload = json.dumps({"orders": [
    {"id": 1, "status": "paid", "currency": "EUR", "customer": {"id": "c1"}, "lines": [{"qty": 2, "unit_cents": 500}]},
    {"id": 2, "status": "cancelled", "currency": "EUR", "customer": {"id": "c2"}, "lines": [{"qty": 9, "unit_cents": 9999}]},
    {"id": 3, "status": "shipped", "currency": "USD", "customer": {"id": "c2"}, "lines": [{"qty": 1, "unit_cents": 1500}, {"qty": 3, "unit_cents": 100}]},
]})
assert summarize(payload) == {"orders": 2, "revenue": {"EUR": 1000, "USD": 1800}, "top_customers": ["c2", "c1"]}
orders = [{"id": i, "status": ("paid", "cancelled", "shipped", "refunded")[i % 4], "currency": ("EUR", "USD")[i % 2],
           "customer": {"id": f"c{i % 40}"}, "lines": [{"qty": 1 + j, "unit_cents": 100 * (i % 7 + 1)} for j in range(i % 4)]}
          for i in range(2000)]
s = summarize(json.dumps({"orders": orders}))
assert s["orders"] == 1500
assert sum(s["revenue"].values()) == sum(sum(l["qty"] * l["unit_cents"] for l in o["lines"]) for o in orders if o["status"] != "cancelled")
