# Converts meeting times between fixed-offset time zones and finds the slots inside everyone's working hours.
# bug: replace(tzinfo=...) relabels the time instead of converting it
# break: "return dt.astimezone(tz)" -> "return dt.replace(tzinfo=tz)"
from datetime import datetime, timedelta, timezone

UTC = timezone.utc
ZONES = {"berlin": timezone(timedelta(hours=1)), "new_york": timezone(timedelta(hours=-5)),
         "tokyo": timezone(timedelta(hours=9)), "kolkata": timezone(timedelta(hours=5, minutes=30))}


def to_zone(dt: datetime, tz: timezone) -> datetime:
    return dt.astimezone(tz)


def common_slots(day_utc: datetime, zones: list[str], start_h=9, end_h=17) -> list[str]:
    out = []
    for half in range(48):
        slot = day_utc + timedelta(minutes=30 * half)
        if all(start_h <= to_zone(slot, ZONES[z]).hour < end_h for z in zones):
            out.append(slot.strftime("%H:%M"))
    return out


t = datetime(2024, 1, 15, 12, 0, tzinfo=UTC)
assert to_zone(t, ZONES["berlin"]).hour == 13
assert to_zone(t, ZONES["new_york"]).strftime("%Y-%m-%d %H:%M") == "2024-01-15 07:00"
assert to_zone(t, ZONES["kolkata"]).strftime("%H:%M") == "17:30"
assert to_zone(t, ZONES["tokyo"]) == t
day = datetime(2024, 1, 15, tzinfo=UTC)
assert common_slots(day, ["berlin", "new_york"]) == ["14:00", "14:30", "15:00", "15:30"]
assert common_slots(day, ["tokyo", "new_york"]) == []
assert common_slots(day, ["berlin", "kolkata"]) == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00"]
