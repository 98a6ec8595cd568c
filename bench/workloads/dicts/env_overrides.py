# Applies APP__SECTION__KEY=value environment-style overrides onto a nested config, coercing to the existing type.
# bug: values are never coerced, so numbers and booleans become strings
# break: "node[leaf] = coerce(env[name], node.get(leaf))" -> "node[leaf] = env[name]"
def coerce(raw: str, current):
    if isinstance(current, bool):
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
            raise ValueError(f"not a boolean: {raw!r}")
        return raw.lower() in ("1", "true", "yes")
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, float):
        return float(raw)
    if isinstance(current, list):
        return [s.strip() for s in raw.split(",") if s.strip()]
    return raw


def apply_env(config: dict, env: dict[str, str], prefix: str = "APP__") -> dict:
    for name in sorted(env):
        if not name.startswith(prefix):
            continue
        *path, leaf = name[len(prefix):].lower().split("__")
        node = config
        for p in path:
            node = node.setdefault(p, {})
        node[leaf] = coerce(env[name], node.get(leaf))
    return config


cfg = {"db": {"port": 5432, "ssl": False, "timeout": 1.5, "hosts": ["a"]}, "name": "svc"}
env = {"APP__DB__PORT": "6000", "APP__DB__SSL": "yes", "APP__DB__TIMEOUT": "2.25", "APP__DB__HOSTS": "x, y,",
       "APP__NAME": "api", "APP__NEW__KEY": "v", "HOME": "/root"}
out = apply_env(cfg, env)
assert out == {"db": {"port": 6000, "ssl": True, "timeout": 2.25, "hosts": ["x", "y"]}, "name": "api", "new": {"key": "v"}}
try:
    apply_env({"flag": True}, {"APP__FLAG": "maybe"})
    raise AssertionError("expected ValueError")
except ValueError:
    pass
big = {f"s{i}": {"n": 0, "on": False} for i in range(200)}
apply_env(big, {**{f"APP__S{i}__N": str(i) for i in range(200)}, **{f"APP__S{i}__ON": "1" for i in range(0, 200, 2)}})
assert sum(v["n"] for v in big.values()) == sum(range(200)) and sum(v["on"] for v in big.values()) == 100
