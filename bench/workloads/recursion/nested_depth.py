# Maximum nesting depth of JSON-like data (dicts and lists count, scalars are depth 0), and the deepest path.
# bug: an empty container counts as depth 0 instead of 1
# break: "        return 1 + max((depth(v) for v in values), default=0)" -> "        return max((1 + depth(v) for v in values), default=0)"
def depth(x) -> int:
    if isinstance(x, (dict, list)):
        values = x.values() if isinstance(x, dict) else x
        return 1 + max((depth(v) for v in values), default=0)
    return 0


def deepest_path(x, path=()):
    best = path
    children = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else []
    for k, v in children:
        p = deepest_path(v, path + (k,))
        if len(p) > len(best):
            best = p
    return best


assert depth(5) == 0
assert depth([]) == 1 and depth({}) == 1
assert depth([1, [2, [3]]]) == 3
assert depth({"a": {"b": []}}) == 3
assert deepest_path({"a": 1, "b": {"c": [0, {"d": 2}]}}) == ("b", "c", 1, "d")
doc = {"x": []}
cur = doc["x"]
for i in range(120):
    nxt: list = []
    cur.append({"i": i, "kids": nxt})
    cur = nxt
assert depth(doc) == 2 + 120 * 2
assert len(deepest_path(doc)) == 1 + 120 * 2
