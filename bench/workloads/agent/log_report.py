# Agent tool: summarize application logs: counts per level, the top error messages (numbers masked), and the first/last timestamps.
# bug: numbers in messages are not masked, so the same error is counted separately per id
# break: "msg = re.sub(r\"\\d+\", \"<n>\", m[\"msg\"])" -> "msg = m[\"msg\"]"
import re
from collections import Counter

LINE = re.compile(r"^(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\s+(?P<level>DEBUG|INFO|WARN|ERROR)\s+(?P<msg>.*)$")


def report(text: str, top: int = 2) -> dict:
    levels: Counter = Counter()
    errors: Counter = Counter()
    stamps = []
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        levels[m["level"]] += 1
        stamps.append(m["ts"])
        if m["level"] == "ERROR":
            msg = re.sub(r"\d+", "<n>", m["msg"])
            errors[msg] += 1
    return {"levels": dict(sorted(levels.items())), "top_errors": errors.most_common(top),
            "span": (min(stamps), max(stamps)) if stamps else None}


log = """2024-05-01T10:00:00 INFO started
2024-05-01T10:00:05 ERROR timeout talking to db after 3000 ms
2024-05-01T10:00:07 WARN slow request 812 ms
garbage line
2024-05-01T10:01:00 ERROR timeout talking to db after 3001 ms
2024-05-01T10:02:00 ERROR user 42 not found
"""
r = report(log)
assert r["levels"] == {"ERROR": 3, "INFO": 1, "WARN": 1}
assert r["top_errors"] == [("timeout talking to db after <n> ms", 2), ("user <n> not found", 1)]
assert r["span"] == ("2024-05-01T10:00:00", "2024-05-01T10:02:00")
assert report("") == {"levels": {}, "top_errors": [], "span": None}
big = "\n".join(f"2024-05-02T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} {('INFO', 'ERROR', 'DEBUG')[i % 3]} "
                f"{'job %d failed with code %d' % (i, i % 7) if i % 3 == 1 else 'ok'}" for i in range(6000))
r = report(big)
assert r["levels"]["ERROR"] == 2000 and r["top_errors"] == [("job <n> failed with code <n>", 2000)]
