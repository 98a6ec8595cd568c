# Splits a user's event timestamps into sessions: a gap of 30 minutes or more starts a new session.
# bug: a gap of exactly 30 minutes does not start a new session
# break: "current and t - current[-1] >= gap:" -> "current and t - current[-1] > gap:"
from datetime import datetime, timedelta


def sessions(times: list[datetime], gap=timedelta(minutes=30)) -> list[tuple[datetime, datetime, int]]:
    out = []
    current: list[datetime] = []
    for t in sorted(times):
        if current and t - current[-1] >= gap:
            out.append((current[0], current[-1], len(current)))
            current = []
        current.append(t)
    if current:
        out.append((current[0], current[-1], len(current)))
    return out


t0 = datetime(2024, 4, 1, 8, 0)
m = lambda k: t0 + timedelta(minutes=k)
assert sessions([m(0), m(10), m(39), m(69), m(200)]) == [(m(0), m(39), 3), (m(69), m(69), 1), (m(200), m(200), 1)]
assert sessions([]) == []
assert sessions([m(5), m(0)]) == [(m(0), m(5), 2)]
stream = [m(k) for k in range(0, 5000, 3) if (k // 300) % 2 == 0]
ss = sessions(stream)
assert len(ss) == 9 and sum(s[2] for s in ss) == len(stream)
ticks = [m(30 * k) for k in range(100)]
assert len(sessions(ticks)) == 100
