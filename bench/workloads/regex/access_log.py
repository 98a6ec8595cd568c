# Parses combined-format access log lines into records and counts status classes per path.
# bug: the status code group only takes two digits
# break: "(?P<status>\\d{3})" -> "(?P<status>\\d{2})"
import re
from collections import Counter

LINE = re.compile(
    r'(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - (?P<user>\S+) \[(?P<ts>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/(?P<ver>[\d.]+)" (?P<status>\d{3}) (?P<size>\d+|-)'
)


def parse(line: str) -> dict | None:
    m = LINE.match(line)
    if not m:
        return None
    rec = m.groupdict()
    rec["status"] = int(rec["status"])
    rec["size"] = 0 if rec["size"] == "-" else int(rec["size"])
    return rec


def status_classes(lines: list[str]) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for line in lines:
        rec = parse(line)
        if rec:
            out.setdefault(rec["path"], Counter())[f"{rec['status'] // 100}xx"] += 1
    return out


sample = '10.0.0.7 - alice [10/Oct/2024:13:55:36 +0000] "GET /api/items?id=3 HTTP/1.1" 200 2326'
rec = parse(sample)
assert rec["ip"] == "10.0.0.7" and rec["method"] == "GET" and rec["status"] == 200 and rec["size"] == 2326
assert parse("garbage line") is None
lines = [
    f'192.168.1.{i % 250} - - [10/Oct/2024:13:{i % 60:02d}:00 +0000] "{("GET", "POST")[i % 2]} /p{i % 5} HTTP/1.1" {(200, 404, 500, 301)[i % 4]} {"-" if i % 9 == 0 else i}'
    for i in range(2000)
]
classes = status_classes(lines)
assert sorted(classes) == ["/p0", "/p1", "/p2", "/p3", "/p4"]
assert sum(sum(c.values()) for c in classes.values()) == 2000
assert classes["/p0"]["2xx"] == 100 and classes["/p1"]["4xx"] == 100
