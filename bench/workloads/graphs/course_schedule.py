# Plans semesters for courses with prerequisites using graphlib.TopologicalSorter: each semester takes every course that is ready.
# bug: the prerequisite edges are reversed
# break: "ts.add(course, *prereqs)" -> "[ts.add(p, course) for p in prereqs] if prereqs else ts.add(course)"
from graphlib import CycleError, TopologicalSorter


def semesters(prereqs_of: dict[str, list[str]]) -> list[list[str]]:
    ts = TopologicalSorter()
    for course, prereqs in prereqs_of.items():
        ts.add(course, *prereqs)
    ts.prepare()
    plan = []
    while ts.is_active():
        ready = sorted(ts.get_ready())
        plan.append(ready)
        ts.done(*ready)
    return plan


catalog = {"calc2": ["calc1"], "linalg": ["calc1"], "ml": ["linalg", "stats", "prog"], "stats": ["calc2"], "calc1": [], "prog": []}
assert semesters(catalog) == [["calc1", "prog"], ["calc2", "linalg"], ["stats"], ["ml"]]
assert semesters({}) == []
try:
    semesters({"a": ["b"], "b": ["a"]})
    raise AssertionError("cycle not detected")
except CycleError:
    pass
chain = {f"c{i}": [f"c{i - 1}"] if i else [] for i in range(300)}
plan = semesters(chain)
assert len(plan) == 300 and plan[0] == ["c0"] and plan[-1] == ["c299"]
