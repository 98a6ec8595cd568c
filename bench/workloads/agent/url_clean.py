# Agent tool: canonicalize URLs for dedupe: lowercase scheme/host, drop default ports, fragments and utm_* params, sort the query.
# bug: tracking parameters are kept
# break: "if not k.lower().startswith(\"utm_\") and k not in {\"fbclid\", \"gclid\"}" -> "if True"
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith("utm_") and k not in {"fbclid", "gclid"})
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


assert canonical("HTTPS://Example.COM:443/a?b=2&a=1&utm_source=x#top") == "https://example.com/a?a=1&b=2"
assert canonical("http://example.com:8080") == "http://example.com:8080/"
assert canonical("https://ex.com/search?q=caf%C3%A9+au+lait&fbclid=zz") == "https://ex.com/search?q=caf%C3%A9+au+lait"
assert canonical("https://ex.com/?empty=") == "https://ex.com/?empty="
urls = [f"https://Shop.example.com/item/{i % 50}?ref={i % 3}&utm_campaign=c{i}&utm_medium=m#r{i}" for i in range(3000)]
assert len({canonical(u) for u in urls}) == 150
