# Removes duplicates while keeping the first occurrence order; optional key function.
# bug: goes through a set, so the original order is lost
# break: "    seen = set()\n    out = []\n    for x in items:\n        k = key(x) if key else x\n        if k not in seen:\n            seen.add(k)\n            out.append(x)\n    return out" -> "    out = {}\n    for x in items:\n        out.setdefault(key(x) if key else x, x)\n    return [out[k] for k in sorted(out, key=str)]"
def dedupe(items: list, key=None) -> list:
    seen = set()
    out = []
    for x in items:
        k = key(x) if key else x
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]
assert dedupe([]) == []
assert dedupe(["B", "a", "b", "A"], key=str.lower) == ["B", "a"]
records = [{"id": i % 50, "v": i} for i in range(2000)]
uniq = dedupe(records, key=lambda r: r["id"])
assert [r["v"] for r in uniq] == list(range(50))
words = [f"w{(i * 31) % 400}" for i in range(4000)]
d = dedupe(words)
assert len(d) == 400 and d[:3] == ["w0", "w31", "w62"]
