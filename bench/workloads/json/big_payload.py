# Parses a ~1 MB JSON API payload and computes per-region stats; null scores are excluded from averages.
# bug: null scores count as zero in the average
# break: "scored = [u[\"score\"] for u in users if u[\"score\"] is not None]" -> "scored = [u[\"score\"] or 0 for u in users]"
import json


def build_payload(n: int) -> str:
    users = [{"id": i, "name": f"user-{i:05d}", "region": ("eu", "us", "apac", "latam")[i % 4],
              "score": None if i % 10 == 0 else (i * 37) % 101, "active": i % 3 != 0,
              "tags": ["t%d" % (i % 5), "t%d" % (i % 7)], "profile": {"bio": "lorem ipsum " * (i % 6), "age": 18 + i % 60}}
             for i in range(n)]
    return json.dumps({"page": 1, "total": n, "users": users})


def region_stats(payload: str) -> dict:
    data = json.loads(payload)
    out = {}
    by_region: dict[str, list] = {}
    for u in data["users"]:
        by_region.setdefault(u["region"], []).append(u)
    for region, users in sorted(by_region.items()):
        scored = [u["score"] for u in users if u["score"] is not None]
        out[region] = {
            "users": len(users),
            "active": sum(u["active"] for u in users),
            "avg_score": round(sum(scored) / len(scored), 2) if scored else None,
            "oldest": max(u["profile"]["age"] for u in users),
        }
    return out


payload = build_payload(6000)
assert 900_000 < len(payload) < 1_400_000, len(payload)
stats = region_stats(payload)
assert sorted(stats) == ["apac", "eu", "latam", "us"]
assert sum(s["users"] for s in stats.values()) == 6000
eu_scores = [(i * 37) % 101 for i in range(0, 6000, 4) if i % 10]
assert stats["eu"]["avg_score"] == round(sum(eu_scores) / len(eu_scores), 2)
assert stats["us"]["active"] == sum(1 for i in range(1, 6000, 4) if i % 3)
