# Sorts employee records by department, then salary descending, then name.
# bug: salary is sorted ascending
# break: "key=lambda e: (e[\"dept\"], -e[\"salary\"], e[\"name\"])" -> "key=lambda e: (e[\"dept\"], e[\"salary\"], e[\"name\"])"
def order(employees: list[dict]) -> list[str]:
    return [e["name"] for e in sorted(employees, key=lambda e: (e["dept"], -e["salary"], e["name"]))]


staff = [
    {"name": "dan", "dept": "eng", "salary": 120},
    {"name": "ann", "dept": "eng", "salary": 150},
    {"name": "bob", "dept": "ops", "salary": 90},
    {"name": "cat", "dept": "eng", "salary": 120},
    {"name": "eve", "dept": "ops", "salary": 95},
]
assert order(staff) == ["ann", "cat", "dan", "eve", "bob"]
assert order([]) == []
big = [{"name": f"n{i:05d}", "dept": f"d{i % 7}", "salary": (i * 37) % 200} for i in range(5000)]
names = order(big)
rank = {n: i for i, n in enumerate(names)}
by = {e["name"]: e for e in big}
for a, b in zip(names, names[1:]):
    ea, eb = by[a], by[b]
    assert ea["dept"] < eb["dept"] or (ea["dept"] == eb["dept"] and (ea["salary"] > eb["salary"] or (ea["salary"] == eb["salary"] and a < b)))
