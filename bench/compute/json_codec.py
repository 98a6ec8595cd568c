# json.dumps and json.loads of a nested ~50 KB document (the C accelerator on both sides).
import json

NAME = "json"
ITERATIONS = 10
EXPECTED = (53947, 500, 16753)

DOC = {"items": [{"id": i, "name": f"item-{i}", "price": i * 0.25, "tags": ["a", "b", "c"][: i % 3 + 1],
                  "meta": {"active": i % 2 == 0, "score": None if i % 7 == 0 else i % 100}} for i in range(500)]}


def bench():
    s = json.dumps(DOC)
    back = json.loads(s)
    pretty = json.dumps(back["items"][:100], indent=2, sort_keys=True)
    return len(s), len(back["items"]), len(pretty)
