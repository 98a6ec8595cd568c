# Resolves RFC 6901 JSON Pointers ("/a/b~1c/0") against a document, with ~1 and ~0 unescaping.
# bug: unescapes ~0 before ~1, so "~01" becomes "/" instead of "~1"
# break: "token.replace(\"~1\", \"/\").replace(\"~0\", \"~\")" -> "token.replace(\"~0\", \"~\").replace(\"~1\", \"/\")"
class PointerError(LookupError):
    pass


def resolve(doc, pointer: str):
    if pointer == "":
        return doc
    if not pointer.startswith("/"):
        raise PointerError(f"invalid pointer {pointer!r}")
    node = doc
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if not token.isdigit() or (len(token) > 1 and token[0] == "0") or int(token) >= len(node):
                raise PointerError(f"bad index {token!r}")
            node = node[int(token)]
        elif isinstance(node, dict):
            if token not in node:
                raise PointerError(f"missing key {token!r}")
            node = node[token]
        else:
            raise PointerError(f"cannot descend into {type(node).__name__}")
    return node


doc = {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8, "~1": 9}
assert resolve(doc, "") is doc
assert resolve(doc, "/foo") == ["bar", "baz"]
assert resolve(doc, "/foo/0") == "bar"
assert resolve(doc, "/") == 0
assert resolve(doc, "/a~1b") == 1
assert resolve(doc, "/m~0n") == 8
assert resolve(doc, "/~01") == 9
for bad in ["foo", "/foo/2", "/foo/01", "/nope", "/foo/0/x"]:
    try:
        resolve(doc, bad)
        raise AssertionError(bad)
    except PointerError:
        pass
tree = {"n": [{"k": [i, {"v/w": i * 2}]} for i in range(500)]}
assert sum(resolve(tree, f"/n/{i}/k/1/v~1w") for i in range(500)) == 2 * sum(range(500))
