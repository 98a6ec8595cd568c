# Parses JSON Lines text: skips blank lines, collects records and reports bad lines with 1-based line numbers.
# bug: line numbers in errors are 0-based
# break: "enumerate(text.splitlines(), start=1)" -> "enumerate(text.splitlines())"
import json


def parse_jsonl(text: str) -> tuple[list[dict], list[str]]:
    records, errors = [], []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {lineno}: {e.msg}")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {lineno}: expected an object")
            continue
        records.append(obj)
    return records, errors


text = '{"a": 1}\n\n{"a": 2}\n{bad json}\n[1, 2]\n  \n{"a": 3}\n'
recs, errs = parse_jsonl(text)
assert [r["a"] for r in recs] == [1, 2, 3]
assert errs == ["line 4: Expecting property name enclosed in double quotes", "line 5: expected an object"], errs
assert parse_jsonl("") == ([], [])
lines = [json.dumps({"i": i, "payload": "x" * (i % 50)}) if i % 97 else "{oops" for i in range(5000)]
recs, errs = parse_jsonl("\n".join(lines))
assert len(recs) + len(errs) == 5000
assert errs[1].startswith("line 98:"), errs[1]
