# Business days in the half-open range [start, end): weekdays that are not holidays.
# bug: the end date is counted too
# break: "while d < end:" -> "while d <= end:"
from datetime import date, timedelta


def business_days(start: date, end: date, holidays: set[date] = frozenset()) -> int:
    count = 0
    d = start
    while d < end:
        if d.weekday() < 5 and d not in holidays:
            count += 1
        d += timedelta(days=1)
    return count


hol = {date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1)}
assert business_days(date(2024, 12, 23), date(2024, 12, 30), hol) == 3
assert business_days(date(2024, 12, 23), date(2024, 12, 23)) == 0
assert business_days(date(2024, 12, 28), date(2024, 12, 30)) == 0
assert business_days(date(2024, 1, 1), date(2025, 1, 1)) == 262
assert business_days(date(2024, 1, 1), date(2025, 1, 1), hol) == 260
for offset in range(0, 700, 7):
    s = date(2023, 1, 2) + timedelta(days=offset)
    assert business_days(s, s + timedelta(days=7)) == 5
