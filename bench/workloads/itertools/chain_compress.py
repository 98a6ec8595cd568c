# Picks the active entries from paged results with chain.from_iterable and compress, preserving order.
# bug: selectors are taken from the first page only (compress stops early)
# break: "selectors = [item[\"active\"] for page in pages for item in page]" -> "selectors = [item[\"active\"] for item in pages[0]] if pages else []"
from itertools import chain, compress


def active_names(pages: list[list[dict]]) -> list[str]:
    items = chain.from_iterable(pages)
    selectors = [item["active"] for page in pages for item in page]
    return [item["name"] for item in compress(items, selectors)]


pages = [[{"name": "a", "active": True}, {"name": "b", "active": False}], [{"name": "c", "active": True}], []]
assert active_names(pages) == ["a", "c"]
assert active_names([]) == []
big = [[{"name": f"n{p}-{i}", "active": (p + i) % 3 == 0} for i in range(25)] for p in range(120)]
names = active_names(big)
assert len(names) == sum(1 for p in range(120) for i in range(25) if (p + i) % 3 == 0)
assert names[-1] == "n119-22"
