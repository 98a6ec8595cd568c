# Structural diff of two JSON documents: a sorted list of (path, old, new) for every differing leaf.
# bug: extra or missing list elements are ignored (zip stops at the shorter list)
# break: "for i in range(max(len(a), len(b))):" -> "for i in range(min(len(a), len(b))):"
MISSING = "<missing>"


def diff(a, b, path="$") -> list[tuple[str, object, object]]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(a.keys() | b.keys()):
            out += diff(a.get(k, MISSING), b.get(k, MISSING), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = []
        for i in range(max(len(a), len(b))):
            out += diff(a[i] if i < len(a) else MISSING, b[i] if i < len(b) else MISSING, f"{path}[{i}]")
        return out
    return [] if a == b and type(a) is type(b) else [(path, a, b)]


old = {"name": "svc", "ports": [80, 443], "env": {"A": "1", "B": "2"}, "replicas": 1}
new = {"name": "svc", "ports": [80, 443, 8080], "env": {"A": "1", "C": "3"}, "replicas": 1.0}
assert diff(old, new) == [
    ("$.env.B", "2", MISSING),
    ("$.env.C", MISSING, "3"),
    ("$.ports[2]", MISSING, 8080),
    ("$.replicas", 1, 1.0),
]
assert diff(old, old) == []
assert diff([1, 2, 3], [1]) == [("$[1]", 2, MISSING), ("$[2]", 3, MISSING)]
big_a = {"items": [{"id": i, "v": i % 7} for i in range(1000)]}
big_b = {"items": [{"id": i, "v": i % 7 if i % 100 else -1} for i in range(1005)]}
d = diff(big_a, big_b)
assert len(d) == 10 + 5 and d[-1][0] == "$.items[1004]"
