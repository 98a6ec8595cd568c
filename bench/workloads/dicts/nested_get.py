# Safe lookup in nested JSON-like data by a dotted path ("items.0.name"); a default when any step is missing.
# bug: list indices in the path are not converted to int
# break: "node = node[int(part)]" -> "node = node[part]"
def get_path(data, path: str, default=None):
    node = data
    for part in path.split(".") if path else []:
        if isinstance(node, dict):
            if part not in node:
                return default
            node = node[part]
        elif isinstance(node, list):
            if not part.lstrip("-").isdigit() or not -len(node) <= int(part) < len(node):
                return default
            node = node[int(part)]
        else:
            return default
    return node


doc = {"items": [{"name": "a", "tags": ["x", "y"]}, {"name": "b"}], "meta": {"page": 1, "next": None}}
assert get_path(doc, "items.0.name") == "a"
assert get_path(doc, "items.-1.name") == "b"
assert get_path(doc, "items.0.tags.1") == "y"
assert get_path(doc, "items.5.name", "none") == "none"
assert get_path(doc, "meta.next", "dflt") is None
assert get_path(doc, "meta.page.x", 0) == 0
assert get_path(doc, "") == doc
rows = {"rows": [{"cells": [{"v": r * 10 + c} for c in range(10)]} for r in range(100)]}
assert sum(get_path(rows, f"rows.{r}.cells.{c}.v") for r in range(100) for c in range(10)) == sum(range(1000))
