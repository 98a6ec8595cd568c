# Adds calendar months to a date, clamping the day to the target month's length (Jan 31 + 1 month = Feb 29 in 2024).
# bug: the day is not clamped, so month-end dates raise
# break: "day = min(d.day, calendar.monthrange(year, month)[1])" -> "day = d.day"
import calendar
from datetime import date


def add_months(d: date, months: int) -> date:
    idx = d.year * 12 + (d.month - 1) + months
    year, month = divmod(idx, 12)
    month += 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
assert add_months(date(2024, 1, 15), -13) == date(2022, 12, 15)
assert add_months(date(2024, 5, 31), 12) == date(2025, 5, 31)
for m in range(-240, 240):
    r = add_months(date(2020, 1, 31), m)
    assert (r.year * 12 + r.month) - (2020 * 12 + 1) == m
    assert r.day == min(31, calendar.monthrange(r.year, r.month)[1])
