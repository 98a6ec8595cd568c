# A content hash of JSON-like data that does not depend on key order or whitespace (canonical JSON + SHA-256).
# bug: keys are not sorted, so equal documents built in a different order hash differently
# break: "json.dumps(obj, sort_keys=True, separators=(\",\", \":\"), ensure_ascii=False)" -> "json.dumps(obj, separators=(\",\", \":\"), ensure_ascii=False)"
import hashlib
import json


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(obj) -> str:
    return hashlib.sha256(canonical(obj).encode("utf-8")).hexdigest()


a = {"b": 1, "a": [1, 2, {"y": None, "x": True}], "ü": "ß"}
b = {"ü": "ß", "a": [1, 2, {"x": True, "y": None}], "b": 1}
assert canonical(a) == '{"a":[1,2,{"x":true,"y":null}],"b":1,"ü":"ß"}'
assert content_hash(a) == content_hash(b)
assert content_hash({"a": [1, 2]}) != content_hash({"a": [2, 1]})
assert content_hash(json.loads(json.dumps(a, indent=4))) == content_hash(a)
docs = [{f"k{(i * j) % 17}": j for j in range(20)} for i in range(200)]
rev = [dict(reversed(list(d.items()))) for d in docs]
assert [content_hash(d) for d in docs] == [content_hash(d) for d in rev]
