# Agent tool: read service settings from an INI string with configparser: typed values, defaults, and a list option.
# bug: the port is read as a string
# break: "\"port\": section.getint(\"port\", fallback=8080)," -> "\"port\": section.get(\"port\", fallback=8080),"
import configparser


def load(text: str) -> dict[str, dict]:
    cp = configparser.ConfigParser(interpolation=configparser.BasicInterpolation())
    cp.read_string(text)
    out = {}
    for name in cp.sections():
        if not name.startswith("service:"):
            continue
        section = cp[name]
        out[name.split(":", 1)[1]] = {
            "host": section.get("host", fallback="127.0.0.1"),
            "port": section.getint("port", fallback=8080),
            "debug": section.getboolean("debug", fallback=False),
            "timeout": section.getfloat("timeout", fallback=5.0),
            "tags": [t.strip() for t in section.get("tags", fallback="").split(",") if t.strip()],
            "url": section.get("url", fallback=None),
        }
    return out


text = """
[DEFAULT]
domain = example.com
timeout = 2.5

[service:api]
host = api.%(domain)s
port = 9000
debug = yes
tags = public, v2
url = https://%(host)s:%(port)s/

[service:worker]
debug = off

[other]
x = 1
"""
cfg = load(text)
assert cfg["api"] == {"host": "api.example.com", "port": 9000, "debug": True, "timeout": 2.5, "tags": ["public", "v2"],
                      "url": "https://api.example.com:9000/"}
assert cfg["worker"] == {"host": "127.0.0.1", "port": 8080, "debug": False, "timeout": 2.5, "tags": [], "url": None}
assert sorted(cfg) == ["api", "worker"]
many = "\n".join(f"[service:s{i}]\nport = {9000 + i}\ndebug = {'true' if i % 2 else 'false'}\n" for i in range(300))
c = load(many)
assert sum(v["port"] for v in c.values()) == sum(9000 + i for i in range(300)) and sum(v["debug"] for v in c.values()) == 150
