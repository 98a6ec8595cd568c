# Room booking conflicts: half-open [start, end) datetime intervals; back-to-back bookings do not clash.
# bug: back-to-back bookings are reported as conflicts
# break: "return a_start < b_end and b_start < a_end" -> "return a_start <= b_end and b_start <= a_end"
from datetime import datetime, timedelta


def clash(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def conflicts(bookings: list[tuple[str, datetime, datetime]]) -> list[tuple[str, str]]:
    ordered = sorted(bookings, key=lambda b: b[1])
    out = []
    for i, (n1, s1, e1) in enumerate(ordered):
        for n2, s2, e2 in ordered[i + 1:]:
            if s2 > e1:
                break
            if clash(s1, e1, s2, e2):
                out.append(tuple(sorted((n1, n2))))
    return sorted(out)


base = datetime(2024, 5, 6, 9, 0)
h = timedelta(hours=1)
bookings = [("standup", base, base + h / 4), ("design", base + h / 4, base + 2 * h),
            ("1:1", base + h, base + h + h / 2), ("lunch", base + 3 * h, base + 4 * h)]
assert conflicts(bookings) == [("1:1", "design")]
assert conflicts([]) == []
day = [(f"b{i}", base + i * h / 2, base + (i + 1) * h / 2) for i in range(40)]
assert conflicts(day) == []
day.append(("long", base + h / 4, base + 5 * h / 4))
assert conflicts(day) == [("b0", "long"), ("b1", "long"), ("b2", "long")]
