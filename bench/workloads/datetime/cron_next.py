# Next run time of an "every N minutes, aligned to the hour" schedule strictly after a given time.
# bug: a time exactly on a slot returns that same slot instead of the next one
# break: "slot = (minutes // every + 1) * every" -> "slot = -(-minutes // every) * every"
from datetime import datetime, timedelta


def next_run(after: datetime, every: int) -> datetime:
    if not 0 < every <= 60 or 60 % every:
        raise ValueError("every must divide 60")
    hour = after.replace(minute=0, second=0, microsecond=0)
    minutes = (after - hour).total_seconds() / 60
    slot = (minutes // every + 1) * every
    return hour + timedelta(minutes=slot)


t = datetime(2024, 1, 1, 10, 7, 30)
assert next_run(t, 15) == datetime(2024, 1, 1, 10, 15)
assert next_run(datetime(2024, 1, 1, 10, 15), 15) == datetime(2024, 1, 1, 10, 30)
assert next_run(datetime(2024, 1, 1, 23, 59, 59), 5) == datetime(2024, 1, 2, 0, 0)
assert next_run(datetime(2024, 1, 1, 10, 0), 60) == datetime(2024, 1, 1, 11, 0)
try:
    next_run(t, 7)
    raise AssertionError("expected ValueError")
except ValueError:
    pass
cur = datetime(2024, 2, 28, 22, 0)
runs = []
for _ in range(300):
    cur = next_run(cur, 10)
    runs.append(cur)
assert all(b - a == timedelta(minutes=10) for a, b in zip(runs, runs[1:]))
assert runs[-1] == datetime(2024, 2, 28, 22, 0) + timedelta(minutes=3000)
