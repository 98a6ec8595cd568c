# Parses durations like "1h30m", "2d 4h", "90s", "1.5h" into timedeltas and formats them back compactly.
# bug: the minutes unit is read as seconds
# break: "\"m\": 60," -> "\"m\": 1,"
import re
from datetime import timedelta

UNITS = {
    "w": 7 * 86400,
    "d": 86400,
    "h": 3600,
    "m": 60,
    "s": 1,
}
TOKEN = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhms])")


def parse_duration(text: str) -> timedelta:
    text = text.strip().lower()
    pos, seconds = 0, 0.0
    for m in TOKEN.finditer(text):
        if text[pos:m.start()].strip():
            raise ValueError(f"bad duration: {text!r}")
        seconds += float(m.group(1)) * UNITS[m.group(2)]
        pos = m.end()
    if pos == 0 or text[pos:].strip():
        raise ValueError(f"bad duration: {text!r}")
    return timedelta(seconds=seconds)


def format_duration(td: timedelta) -> str:
    secs = int(td.total_seconds())
    parts = []
    for unit in "dhms":
        n, secs = divmod(secs, UNITS[unit])
        if n:
            parts.append(f"{n}{unit}")
    return "".join(parts) or "0s"


assert parse_duration("1h30m") == timedelta(hours=1, minutes=30)
assert parse_duration("2d 4h") == timedelta(days=2, hours=4)
assert parse_duration("1.5h") == timedelta(minutes=90)
assert parse_duration("1w") == timedelta(days=7)
for bad in ["", "abc", "5", "1h x", "h"]:
    try:
        parse_duration(bad)
        raise AssertionError(bad)
    except ValueError:
        pass
assert format_duration(timedelta(seconds=3725)) == "1h2m5s"
for s in range(0, 200_000, 997):
    td = timedelta(seconds=s)
    assert parse_duration(format_duration(td)) == td
