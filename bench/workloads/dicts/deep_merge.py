# Deep-merges configuration dicts: nested dicts merge, anything else in the override wins; inputs stay unchanged.
# bug: nested dicts are replaced instead of merged
# break: "if isinstance(value, dict) and isinstance(out.get(key), dict):" -> "if False:"
import copy


def deep_merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


base = {"db": {"host": "localhost", "port": 5432, "opts": {"ssl": False, "pool": 5}}, "debug": False, "tags": ["a"]}
override = {"db": {"port": 6543, "opts": {"ssl": True}}, "tags": ["b"], "new": 1}
merged = deep_merge(base, override)
assert merged == {"db": {"host": "localhost", "port": 6543, "opts": {"ssl": True, "pool": 5}}, "debug": False, "tags": ["b"], "new": 1}
assert base["db"]["port"] == 5432 and base["db"]["opts"]["ssl"] is False
merged["tags"].append("c")
assert override["tags"] == ["b"]
assert deep_merge({}, {}) == {}
assert deep_merge({"a": {"b": 1}}, {"a": 2}) == {"a": 2}
layers = [{"svc": {f"k{i}": {"v": i, "w": {"x": i}}}} for i in range(60)]
acc: dict = {}
for layer in layers:
    acc = deep_merge(acc, layer)
assert len(acc["svc"]) == 60 and acc["svc"]["k59"]["w"]["x"] == 59
