# Sorts tickets by a fixed priority order (critical > high > medium > low), unknown priorities last, then by age.
# bug: an unknown priority raises KeyError instead of sorting last
# break: "RANK.get(t[\"priority\"], len(RANK))" -> "RANK[t[\"priority\"]]"
RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def triage(tickets: list[dict]) -> list[int]:
    return [t["id"] for t in sorted(tickets, key=lambda t: (RANK.get(t["priority"], len(RANK)), -t["age_h"]))]


tickets = [
    {"id": 1, "priority": "low", "age_h": 50},
    {"id": 2, "priority": "critical", "age_h": 1},
    {"id": 3, "priority": "high", "age_h": 3},
    {"id": 4, "priority": "urgent!!", "age_h": 99},
    {"id": 5, "priority": "high", "age_h": 8},
]
assert triage(tickets) == [2, 5, 3, 1, 4]
assert triage([]) == []
many = [{"id": i, "priority": ["low", "high", "medium", "critical", "n/a"][i % 5], "age_h": i % 48} for i in range(3000)]
ids = triage(many)
assert ids[0] % 5 == 3 and ids[-1] % 5 == 4 and len(ids) == 3000
