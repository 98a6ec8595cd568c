# Applies a JSON Patch subset (add, remove, replace, test) to a document copy; a failed test aborts the whole patch.
# bug: "add" to an array index overwrites the element instead of inserting
# break: "            parent.insert(len(parent) if key == \"-\" else int(key), op[\"value\"])" -> "            parent[int(key) if key != \"-\" else len(parent) - 1] = op[\"value\"]"
import copy


class PatchError(Exception):
    pass


def _split(path: str):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    return parts[:-1], parts[-1]


def _walk(doc, parts):
    for p in parts:
        doc = doc[int(p)] if isinstance(doc, list) else doc[p]
    return doc


def apply_patch(doc, patch: list[dict]):
    doc = copy.deepcopy(doc)
    for op in patch:
        parents, key = _split(op["path"])
        parent = _walk(doc, parents)
        kind = op["op"]
        if kind == "test":
            if (parent[int(key)] if isinstance(parent, list) else parent.get(key)) != op["value"]:
                raise PatchError(f"test failed at {op['path']}")
        elif kind == "add" and isinstance(parent, list):
            parent.insert(len(parent) if key == "-" else int(key), op["value"])
        elif kind in ("add", "replace"):
            if isinstance(parent, list):
                parent[int(key)] = op["value"]
            else:
                if kind == "replace" and key not in parent:
                    raise PatchError(f"nothing to replace at {op['path']}")
                parent[key] = op["value"]
        elif kind == "remove":
            del parent[int(key) if isinstance(parent, list) else key]
        else:
            raise PatchError(f"unknown op {kind}")
    return doc


doc = {"name": "svc", "ports": [80, 443], "env": {"A": "1"}}
out = apply_patch(doc, [
    {"op": "add", "path": "/ports/1", "value": 8080},
    {"op": "add", "path": "/ports/-", "value": 9000},
    {"op": "replace", "path": "/name", "value": "api"},
    {"op": "remove", "path": "/env/A"},
    {"op": "add", "path": "/env/B", "value": "2"},
])
assert out == {"name": "api", "ports": [80, 8080, 443, 9000], "env": {"B": "2"}}
assert doc["ports"] == [80, 443]
try:
    apply_patch(doc, [{"op": "replace", "path": "/name", "value": "x"}, {"op": "test", "path": "/name", "value": "svc"}])
    raise AssertionError("test op passed")
except PatchError:
    pass
lst = {"xs": []}
for i in range(300):
    lst = apply_patch(lst, [{"op": "add", "path": "/xs/0", "value": i}])
assert lst["xs"] == list(range(299, -1, -1))
