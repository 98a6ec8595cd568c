# Agent runtime: validate a model's tool call (a JSON dict of arguments) against the Python function's signature and annotations.
# bug: missing required arguments are not reported
# break: "        if param.default is inspect.Parameter.empty and name not in args:\n            errors.append(f\"missing required argument {name!r}\")\n" -> ""
import inspect
import json


def search_flights(origin: str, destination: str, date: str, passengers: int = 1, nonstop: bool = False) -> list:
    return []


def validate_call(fn, raw: str) -> list[str]:
    try:
        args = json.loads(raw)
    except json.JSONDecodeError as e:
        return [f"arguments are not JSON: {e.msg}"]
    if not isinstance(args, dict):
        return ["arguments must be an object"]
    errors = []
    params = inspect.signature(fn).parameters
    for name in args:
        if name not in params:
            errors.append(f"unknown argument {name!r}")
    for name, param in params.items():
        if param.default is inspect.Parameter.empty and name not in args:
            errors.append(f"missing required argument {name!r}")
        if name in args and param.annotation is not inspect.Parameter.empty:
            value = args[name]
            ok = isinstance(value, param.annotation) and not (param.annotation is int and isinstance(value, bool))
            if not ok:
                errors.append(f"{name}: expected {param.annotation.__name__}, got {type(value).__name__}")
    return errors


assert validate_call(search_flights, '{"origin": "CDG", "destination": "JFK", "date": "2024-07-01"}') == []
assert validate_call(search_flights, '{"origin": "CDG", "date": "2024-07-01", "passengers": "2"}') == [
    "missing required argument 'destination'", "passengers: expected int, got str"]
assert validate_call(search_flights, '{"origin": "A", "destination": "B", "date": "d", "seat": "1A", "nonstop": 1}') == [
    "unknown argument 'seat'", "nonstop: expected bool, got int"]
assert validate_call(search_flights, '{"origin": "A", "destination": "B", "date": "d", "passengers": true}') == ["passengers: expected int, got bool"]
assert validate_call(search_flights, "[1, 2]") == ["arguments must be an object"]
assert validate_call(search_flights, "{oops")[0].startswith("arguments are not JSON")
calls = [json.dumps({"origin": "X", **({"destination": "Y"} if i % 2 else {}), "date": "d", "passengers": i % 5}) for i in range(1000)]
assert sum(1 for c in calls if validate_call(search_flights, c)) == 500
