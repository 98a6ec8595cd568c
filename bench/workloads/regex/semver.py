# Parses semantic versions (MAJOR.MINOR.PATCH[-prerelease][+build]) and sorts them by precedence.
# bug: a prerelease sorts after its release instead of before it
# break: "return (major, minor, patch, 0, pre_key)" -> "return (major, minor, patch, 2, pre_key)"
import re

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$")


def key(v: str):
    m = SEMVER.match(v)
    if not m:
        raise ValueError(f"not semver: {v!r}")
    major, minor, patch = int(m[1]), int(m[2]), int(m[3])
    if m[4] is None:
        return (major, minor, patch, 1, ())
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in m[4].split("."))
    return (major, minor, patch, 0, pre_key)


ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
           "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0+build.5"]
assert sorted(reversed(ordered), key=key) == ordered
assert key("1.0.0+a") == key("1.0.0+b")
for bad in ["1.0", "01.0.0", "1.0.0-", "v1.0.0"]:
    try:
        key(bad)
        raise AssertionError(bad)
    except ValueError:
        pass
many = [f"{i % 4}.{i % 13}.{i % 7}" + ("-rc.%d" % (i % 3) if i % 5 == 0 else "") for i in range(600)]
s = sorted(many, key=key)
assert all(key(a) <= key(b) for a, b in zip(s, s[1:]))
assert s.index("3.12.4-rc.1") < s.index("3.12.4") if "3.12.4-rc.1" in s and "3.12.4" in s else True
assert max(many, key=key) == "3.12.6" and min(many, key=key) == "0.0.0-rc.0"
