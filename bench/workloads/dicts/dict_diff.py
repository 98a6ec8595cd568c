# Diff of two flat dicts: added, removed and changed keys (with old and new values), sorted.
# bug: added and removed are swapped
# break: "added = sorted(new.keys() - old.keys())\n    removed = sorted(old.keys() - new.keys())" -> "added = sorted(old.keys() - new.keys())\n    removed = sorted(new.keys() - old.keys())"
def diff(old: dict, new: dict) -> dict:
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = {k: (old[k], new[k]) for k in sorted(old.keys() & new.keys()) if old[k] != new[k]}
    return {"added": added, "removed": removed, "changed": changed}


def apply(old: dict, d: dict, new_values: dict) -> dict:
    out = {k: v for k, v in old.items() if k not in d["removed"]}
    for k, (_, v) in d["changed"].items():
        out[k] = v
    for k in d["added"]:
        out[k] = new_values[k]
    return out


a = {"name": "svc", "replicas": 2, "image": "app:1.0", "debug": True}
b = {"name": "svc", "replicas": 3, "image": "app:1.1", "port": 8080}
d = diff(a, b)
assert d == {"added": ["port"], "removed": ["debug"], "changed": {"image": ("app:1.0", "app:1.1"), "replicas": (2, 3)}}
assert diff({}, {}) == {"added": [], "removed": [], "changed": {}}
assert apply(a, d, b) == b
old = {f"k{i}": i for i in range(0, 2000, 2)}
new = {f"k{i}": i if i % 3 else -i for i in range(0, 3000, 3)}
dd = diff(old, new)
assert apply(old, dd, new) == new
assert all(k in new for k in dd["added"])
