# Validates YYYY-MM-DD date strings with a regex plus a days-in-month check (leap years too).
# bug: the month pattern accepts 00 and 13-19
# break: "(0[1-9]|1[0-2])" -> "([01]\\d)"
import re

DATE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-(\d{2})$")
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def valid_date(s: str) -> bool:
    m = DATE.match(s)
    if not m:
        return False
    y, mo, d = (int(g) for g in m.groups())
    limit = 29 if mo == 2 and is_leap(y) else DAYS[(mo - 1) % 12]
    return 1 <= d <= limit


assert valid_date("2024-02-29")
assert not valid_date("2023-02-29")
assert not valid_date("1900-02-29")
assert valid_date("2000-02-29")
assert not valid_date("2024-13-01")
assert not valid_date("2024-00-10")
assert not valid_date("2024-4-01")
assert not valid_date("2024-04-31")
assert valid_date("2024-12-31")
count = sum(valid_date(f"2024-{m:02d}-{d:02d}") for m in range(0, 20) for d in range(0, 40))
assert count == 366, count
