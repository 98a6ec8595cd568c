# Agent tool: validate sign-up records (username rules, unique case-insensitively, e-mail shape, age 13-120) and report errors per row.
# bug: username uniqueness is case-sensitive
# break: "key = rec[\"username\"].lower()" -> "key = rec[\"username\"]"
import re

USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,19}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def validate(records: list[dict]) -> dict[int, list[str]]:
    errors: dict[int, list[str]] = {}
    seen: set[str] = set()
    for i, rec in enumerate(records):
        errs = []
        if not USERNAME.match(rec.get("username", "")):
            errs.append("username: 3-20 chars, letter first, letters/digits/_")
        else:
            key = rec["username"].lower()
            if key in seen:
                errs.append("username: taken")
            seen.add(key)
        if not EMAIL.match(rec.get("email", "")):
            errs.append("email: invalid")
        age = rec.get("age")
        if not isinstance(age, int) or isinstance(age, bool) or not 13 <= age <= 120:
            errs.append("age: must be an integer 13-120")
        if errs:
            errors[i] = errs
    return errors


recs = [
    {"username": "alice", "email": "alice@example.com", "age": 30},
    {"username": "Alice", "email": "a2@example.com", "age": 22},
    {"username": "1bob", "email": "bob@example", "age": 12},
    {"username": "carol_99", "email": "carol@mail.org", "age": True},
    {"username": "dave", "email": "dave@mail.io", "age": 120},
]
assert validate(recs) == {
    1: ["username: taken"],
    2: ["username: 3-20 chars, letter first, letters/digits/_", "email: invalid", "age: must be an integer 13-120"],
    3: ["age: must be an integer 13-120"],
}
many = [{"username": f"{'U' if i % 2 else 'u'}ser{i // 2}", "email": f"u{i}@x.io", "age": 13 + i % 108} for i in range(4000)]
errs = validate(many)
assert len(errs) == 2000 and all(e == ["username: taken"] for e in errs.values())
