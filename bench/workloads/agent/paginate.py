# Agent tool: follow an API's "next" cursors through every page and collect unique items by id.
# bug: the loop checks for the end before collecting the page, so the last page's items are lost
# break: "        for item in page[\"items\"]:" -> "        if page[\"next\"] is None:\n            break\n        for item in page[\"items\"]:"
import json


def make_api(n_items: int, page_size: int):
    pages = {}
    ids = list(range(n_items)) + [3, 7]
    chunks = [ids[i:i + page_size] for i in range(0, len(ids), page_size)]
    for k, chunk in enumerate(chunks):
        cursor = None if k == 0 else f"c{k}"
        nxt = f"c{k + 1}" if k + 1 < len(chunks) else None
        pages[cursor] = {"items": [{"id": i, "name": f"item{i}"} for i in chunk], "next": nxt}
    calls = []

    def fetch(cursor):
        calls.append(cursor)
        return json.dumps(pages[cursor])

    return fetch, calls


def fetch_all(fetch) -> list[dict]:
    seen, out = set(), []
    cursor = None
    while True:
        page = json.loads(fetch(cursor))
        for item in page["items"]:
            if item["id"] not in seen:
                seen.add(item["id"])
                out.append(item)
        cursor = page["next"]
        if cursor is None:
            break
    return out


fetch, calls = make_api(95, 10)
items = fetch_all(fetch)
assert [i["id"] for i in items] == list(range(95))
assert len(calls) == 10 and calls[0] is None and calls[-1] == "c9"
fetch, calls = make_api(4000, 37)
assert len(fetch_all(fetch)) == 4000 and len(calls) == 109
