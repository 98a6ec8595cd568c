# RFC 7396 JSON Merge Patch: objects merge recursively, null deletes a key, anything else replaces.
# bug: null is stored as a value instead of deleting the key
# break: "        if value is None:\n            result.pop(key, None)\n        else:" -> "        if False:\n            pass\n        else:"
import json


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


doc = json.loads('{"title": "Goodbye!", "author": {"givenName": "John", "familyName": "Doe"}, "tags": ["example", "sample"], "content": "text"}')
patch = json.loads('{"title": "Hello!", "phoneNumber": "+01-123-456-7890", "author": {"familyName": null}, "tags": ["example"]}')
assert merge_patch(doc, patch) == {"title": "Hello!", "author": {"givenName": "John"}, "tags": ["example"], "content": "text", "phoneNumber": "+01-123-456-7890"}
assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
assert merge_patch({"a": "b"}, {"a": None}) == {}
assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}
state: dict = {}
for i in range(500):
    state = merge_patch(state, {f"k{i % 50}": None if i % 7 == 0 else {"v": i}})
assert all(k not in state or state[k]["v"] % 7 for k in (f"k{j}" for j in range(50)))
