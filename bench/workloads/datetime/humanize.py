# "time ago" strings: just now, N seconds/minutes/hours/days ago, with correct singulars; future times too.
# bug: always uses the plural form
# break: "{'' if n == 1 else 's'}" -> "s"
from datetime import datetime, timedelta

STEPS = [(86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")]


def ago(then: datetime, now: datetime) -> str:
    secs = int((now - then).total_seconds())
    future = secs < 0
    secs = abs(secs)
    if secs < 5:
        return "just now"
    for size, unit in STEPS:
        if secs >= size:
            n = secs // size
            text = f"{n} {unit}{'' if n == 1 else 's'}"
            return f"in {text}" if future else f"{text} ago"
    raise AssertionError("unreachable")


now = datetime(2024, 3, 1, 12, 0, 0)
assert ago(now, now) == "just now"
assert ago(now - timedelta(seconds=45), now) == "45 seconds ago"
assert ago(now - timedelta(seconds=60), now) == "1 minute ago"
assert ago(now - timedelta(hours=1, minutes=59), now) == "1 hour ago"
assert ago(now - timedelta(days=3), now) == "3 days ago"
assert ago(now + timedelta(days=1), now) == "in 1 day"
for s in range(5, 200_000, 101):
    text = ago(now - timedelta(seconds=s), now)
    n = int(text.split()[0])
    assert text.endswith("s ago") == (n != 1)
