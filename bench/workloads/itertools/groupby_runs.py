# Summarizes records per status with itertools.groupby; records must be sorted by the key first.
# bug: groupby on unsorted data splits one status into several groups
# break: "sorted(records, key=key)" -> "records"
from itertools import groupby
from operator import itemgetter


def summarize(records: list[dict]) -> dict[str, dict]:
    key = itemgetter("status")
    out = {}
    for status, group in groupby(sorted(records, key=key), key=key):
        items = list(group)
        if status in out:
            raise ValueError(f"status {status!r} seen twice")
        out[status] = {"count": len(items), "ids": [r["id"] for r in items]}
    return out


recs = [{"id": 1, "status": "ok"}, {"id": 2, "status": "fail"}, {"id": 3, "status": "ok"}, {"id": 4, "status": "skip"}]
assert summarize(recs) == {"fail": {"count": 1, "ids": [2]}, "ok": {"count": 2, "ids": [1, 3]}, "skip": {"count": 1, "ids": [4]}}
assert summarize([]) == {}
many = [{"id": i, "status": ("ok", "fail", "skip", "timeout")[(i * i) % 4]} for i in range(4000)]
s = summarize(many)
assert sum(v["count"] for v in s.values()) == 4000
assert all(v["ids"] == sorted(v["ids"]) for v in s.values())
