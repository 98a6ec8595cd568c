# Normalizes North American phone numbers written many ways to E.164 (+1XXXXXXXXXX), else None.
# bug: the optional leading country code 1 is not accepted
# break: "^(?:\\+?1[\\s.-]?)?" -> "^"
import re

PHONE = re.compile(r"^(?:\+?1[\s.-]?)?\(?([2-9]\d{2})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})$")


def normalize(raw: str) -> str | None:
    m = PHONE.match(raw.strip())
    return "+1" + "".join(m.groups()) if m else None


assert normalize("(415) 555-2671") == "+14155552671"
assert normalize("415.555.2671") == "+14155552671"
assert normalize("4155552671") == "+14155552671"
assert normalize("+1 415 555 2671") == "+14155552671"
assert normalize("1-415-555-2671") == "+14155552671"
assert normalize("015-555-2671") is None
assert normalize("415-555-267") is None
assert normalize("call me") is None
for i in range(1000):
    area = 200 + i % 800
    assert normalize(f"+1 ({area}) 555-{i:04d}") == f"+1{area}555{i:04d}"
