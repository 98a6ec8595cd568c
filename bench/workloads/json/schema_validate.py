# A tiny JSON-schema subset validator (type, required, properties, items, enum, minimum); returns error paths.
# bug: booleans pass as integers, because bool is a subclass of int
# break: "    \"integer\": lambda v: isinstance(v, int) and not isinstance(v, bool)," -> "    \"integer\": lambda v: isinstance(v, int),"
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(value, schema: dict, path: str = "$") -> list[str]:
    errors = []
    t = schema.get("type")
    if t and not TYPES[t](value):
        return [f"{path}: expected {t}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: not one of {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: below {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}.{key}: required")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                errors += validate(value[key], sub, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], f"{path}[{i}]")
    return errors


SCHEMA = {
    "type": "object",
    "required": ["id", "status", "items"],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "items": {"type": "array", "items": {"type": "object", "required": ["sku", "qty"],
                                             "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}}},
    },
}
assert validate({"id": 3, "status": "open", "items": [{"sku": "a", "qty": 2}]}, SCHEMA) == []
assert validate({"id": 0, "status": "pending", "items": []}, SCHEMA) == ["$.id: below 1", "$.status: not one of ['open', 'closed']"]
assert validate({"id": True, "status": "open", "items": [{"sku": "a", "qty": False}]}, SCHEMA) == ["$.id: expected integer", "$.items[0].qty: expected integer"]
assert validate({"status": "open", "items": [{"qty": 1}]}, SCHEMA) == ["$.id: required", "$.items[0].sku: required"]
assert validate([], SCHEMA) == ["$: expected object"]
docs = [{"id": i, "status": ("open", "closed", "lost")[i % 3], "items": [{"sku": f"s{j}", "qty": j} for j in range(5)]} for i in range(300)]
errs = [e for d in docs for e in validate(d, SCHEMA)]
assert len(errs) == 100 + 300 + 1, len(errs)
