# Flattens nested dicts/lists to dotted keys ({"a": {"b": [1]}} -> {"a.b.0": 1}) and back.
# bug: the prefix is dropped below the second level
# break: "items.update(flatten(value, full))" -> "items.update(flatten(value, str(key)))"
def flatten(obj, prefix: str = "") -> dict:
    items = {}
    pairs = obj.items() if isinstance(obj, dict) else enumerate(obj)
    for key, value in pairs:
        full = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, (dict, list)) and value:
            items.update(flatten(value, full))
        else:
            items[full] = value
    return items


def unflatten(flat: dict) -> dict:
    root: dict = {}
    for path, value in flat.items():
        node = root
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


doc = {"user": {"name": "ada", "roles": ["admin", "dev"], "address": {"city": "Paris", "geo": {"lat": 48.8}}}, "empty": {}}
flat = flatten(doc)
assert flat == {"user.name": "ada", "user.roles.0": "admin", "user.roles.1": "dev",
                "user.address.city": "Paris", "user.address.geo.lat": 48.8, "empty": {}}
assert unflatten({"a.b": 1, "a.c": 2, "d": 3}) == {"a": {"b": 1, "c": 2}, "d": 3}
deep = {"l0": {"l1": {"l2": {"l3": {f"k{i}": i for i in range(200)}}}}}
f = flatten(deep)
assert len(f) == 200 and f["l0.l1.l2.l3.k7"] == 7
assert unflatten(f) == deep
