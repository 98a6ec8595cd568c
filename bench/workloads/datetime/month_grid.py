# Builds a month calendar grid (weeks starting Monday, None for blanks) and counts each weekday in the month.
# bug: weeks start on Sunday in the grid
# break: "calendar.Calendar(firstweekday=0)" -> "calendar.Calendar(firstweekday=6)"
import calendar
from collections import Counter
from datetime import date


def month_grid(year: int, month: int) -> list[list[int | None]]:
    cal = calendar.Calendar(firstweekday=0)
    return [[d or None for d in week] for week in cal.monthdayscalendar(year, month)]


def weekday_counts(year: int, month: int) -> dict[str, int]:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    c = Counter()
    for week in month_grid(year, month):
        for i, d in enumerate(week):
            if d:
                c[names[i]] += 1
    return dict(c)


g = month_grid(2024, 2)
assert g[0] == [None, None, None, 1, 2, 3, 4]
assert g[-1] == [26, 27, 28, 29, None, None, None]
assert weekday_counts(2024, 2) == {"Mon": 4, "Tue": 4, "Wed": 4, "Thu": 5, "Fri": 4, "Sat": 4, "Sun": 4}
for y in range(2000, 2030):
    for mo in range(1, 13):
        counts = weekday_counts(y, mo)
        assert sum(counts.values()) == calendar.monthrange(y, mo)[1]
        first = date(y, mo, 1).weekday()
        assert month_grid(y, mo)[0].index(1) == first
