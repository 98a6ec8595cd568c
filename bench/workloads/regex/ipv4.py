# IPv4 address validation (no leading zeros, each octet 0-255) and a /n subnet membership check.
# bug: the octet pattern allows 256-259
# break: "25[0-5]" -> "25\\d"
import re

OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"^{OCTET}(?:\.{OCTET}){{3}}$")


def to_int(ip: str) -> int:
    if not IPV4.match(ip):
        raise ValueError(ip)
    a, b, c, d = (int(p) for p in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def in_subnet(ip: str, cidr: str) -> bool:
    net, bits = cidr.split("/")
    mask = (0xFFFFFFFF << (32 - int(bits))) & 0xFFFFFFFF
    return to_int(ip) & mask == to_int(net) & mask


assert IPV4.match("192.168.0.1") and IPV4.match("0.0.0.0") and IPV4.match("255.255.255.255")
for bad in ["256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "a.b.c.d", "259.0.0.1", ""]:
    assert not IPV4.match(bad), bad
assert in_subnet("10.1.2.3", "10.0.0.0/8")
assert not in_subnet("11.1.2.3", "10.0.0.0/8")
assert in_subnet("192.168.1.130", "192.168.1.128/25")
assert sum(in_subnet(f"172.16.{i // 256}.{i % 256}", "172.16.0.0/22") for i in range(2048)) == 1024
