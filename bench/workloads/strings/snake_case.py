# Converts camelCase / PascalCase identifiers (with acronyms and digits) to snake_case.
# bug: every capital starts a new word, so acronyms are split letter by letter
# break: "if prev.islower() or prev.isdigit() or (nxt is not None and nxt.islower() and prev.isupper()):" -> "if True:"
def to_snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0:
            prev = name[i - 1]
            nxt = name[i + 1] if i + 1 < len(name) else None
            if prev.islower() or prev.isdigit() or (nxt is not None and nxt.islower() and prev.isupper()):
                out.append("_")
        out.append(ch.lower())
    return "".join(out)


assert to_snake("camelCase") == "camel_case"
assert to_snake("PascalCase") == "pascal_case"
assert to_snake("HTTPServer") == "http_server"
assert to_snake("getHTTPResponseCode") == "get_http_response_code"
assert to_snake("version2Update") == "version2_update"
assert to_snake("already_snake") == "already_snake"
assert to_snake("A") == "a"
assert to_snake("parseXMLToJSON") == "parse_xml_to_json"
for i in range(500):
    assert to_snake(f"field{i}Value") == f"field{i}_value"
