# Summarizes spike 10's child.mjs output (its @@spike line on stdin): p50 / p99 / mean of
# restore_ms, exec_ms and pages restored over every pass but the first.
#   npx -p node@24 -c "node --import tsx spikes/10-realistic-restore/child.mjs '{\"hot\":false}'" | python3 spikes/29-overhead-floor/sum-child.py
import json
import sys

line = next(l for l in sys.stdin if l.startswith("@@spike "))
rows = [r for r in json.loads(line[len("@@spike "):])["rows"] if r["pass"] >= 1]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


for key in ("restore_ms", "exec_ms", "restored"):
    v = [r[key] for r in rows]
    print(f"{key}: p50 {pct(v, .5):.3f}, p99 {pct(v, .99):.3f}, mean {sum(v) / len(v):.3f}")
both = [r["restore_ms"] + r["exec_ms"] for r in rows]
print(f"exec + restore: p50 {pct(both, .5):.2f}, mean {sum(both) / len(both):.2f} ms ({len(rows)} calls)")
