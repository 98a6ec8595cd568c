# Groups dated events by ISO year-week ("2024-W01"); the ISO year can differ from the calendar year.
# bug: uses the calendar year with the ISO week number
# break: "y, w, _ = d.isocalendar()" -> "_, w, _ = d.isocalendar()\n    y = d.year"
from collections import Counter
from datetime import date, timedelta


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def events_per_week(days: list[date]) -> dict[str, int]:
    return dict(sorted(Counter(iso_week(d) for d in days).items()))


assert iso_week(date(2024, 1, 1)) == "2024-W01"
assert iso_week(date(2021, 1, 3)) == "2020-W53"
assert iso_week(date(2024, 12, 30)) == "2025-W01"
start = date(2020, 12, 28)
days = [start + timedelta(days=i) for i in range(1500)]
weeks = events_per_week(days)
assert all(n == 7 for n in list(weeks.values())[:-1])
assert sum(weeks.values()) == 1500
assert "2020-W53" in weeks and "2026-W01" not in weeks
