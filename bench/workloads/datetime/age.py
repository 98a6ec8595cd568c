# Age in whole years on a given date; someone born on Feb 29 turns a year older on Mar 1 in common years.
# bug: only the year difference is used, ignoring whether the birthday has come yet
# break: "return years - ((on.month, on.day) < (born.month, born.day))" -> "return years"
from datetime import date, timedelta


def age_on(born: date, on: date) -> int:
    if on < born:
        raise ValueError("not born yet")
    years = on.year - born.year
    return years - ((on.month, on.day) < (born.month, born.day))


assert age_on(date(1990, 6, 15), date(2024, 6, 14)) == 33
assert age_on(date(1990, 6, 15), date(2024, 6, 15)) == 34
assert age_on(date(2000, 2, 29), date(2023, 2, 28)) == 22
assert age_on(date(2000, 2, 29), date(2023, 3, 1)) == 23
assert age_on(date(2000, 2, 29), date(2024, 2, 29)) == 24
assert age_on(date(2024, 1, 1), date(2024, 1, 1)) == 0
try:
    age_on(date(2024, 1, 2), date(2024, 1, 1))
    raise AssertionError("expected ValueError")
except ValueError:
    pass
born = date(1980, 7, 20)
d = born
for n in range(0, 16000, 11):
    day = born + timedelta(days=n)
    a = age_on(born, day)
    assert date(1980 + a, 7, 20) <= day < date(1981 + a, 7, 20)
