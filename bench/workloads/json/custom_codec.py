# JSON with extra types: dates, Decimals and sets encode via `default`; an object hook restores *_on dates.
# bug: the decoder looks for the wrong key suffix, so dates come back as strings
# break: "if key.endswith(\"_on\") and isinstance(value, str):" -> "if key.endswith(\"_at\") and isinstance(value, str):"
import json
from datetime import date
from decimal import Decimal


def default(o):
    if isinstance(o, date):
        return o.isoformat()
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def hook(d: dict) -> dict:
    out = {}
    for key, value in d.items():
        if key.endswith("_on") and isinstance(value, str):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def dumps(obj) -> str:
    return json.dumps(obj, default=default, sort_keys=True)


def loads(s: str):
    return json.loads(s, object_hook=hook)


rec = {"id": 7, "created_on": date(2024, 2, 29), "price": Decimal("19.90"), "tags": {"b", "a"}}
s = dumps(rec)
assert s == '{"created_on": "2024-02-29", "id": 7, "price": "19.90", "tags": ["a", "b"]}', s
back = loads(s)
assert back["created_on"] == date(2024, 2, 29) and back["tags"] == ["a", "b"]
try:
    dumps({"x": object()})
    raise AssertionError("expected TypeError")
except TypeError:
    pass
rows = [{"n": i, "due_on": date(2024, 1 + i % 12, 1 + i % 28), "amount": Decimal(i) / 4} for i in range(1000)]
again = loads(dumps(rows))
assert all(r["due_on"] == o["due_on"] for r, o in zip(again, rows))
assert sum(Decimal(r["amount"]) for r in again) == sum(o["amount"] for o in rows)
