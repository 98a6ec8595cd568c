// Classify IP addresses as public or not. web_fetch refuses non-public destinations (loopback,
// private, link-local/metadata, CGNAT, ...) unless the policy names them exactly, because a
// sandbox that can reach them can reach the daemon's own network: admin ports, cloud metadata.
import { isIP } from "node:net";

export type AddressKind =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "shared (CGNAT)"
  | "link-local"
  | "unique-local"
  | "multicast"
  | "reserved";

type Range = readonly [prefix: readonly number[], bits: number, kind: AddressKind];

// IPv4 ranges that are not globally routable (IANA special-purpose registry).
const V4_RANGES: readonly Range[] = [
  [[0], 8, "unspecified"],
  [[10], 8, "private"],
  [[100, 64], 10, "shared (CGNAT)"],
  [[127], 8, "loopback"],
  [[169, 254], 16, "link-local"], // includes 169.254.169.254, the cloud metadata address
  [[172, 16], 12, "private"],
  [[192, 0, 0], 24, "reserved"],
  [[192, 0, 2], 24, "reserved"],
  [[192, 88, 99], 24, "reserved"],
  [[192, 168], 16, "private"],
  [[198, 18], 15, "reserved"],
  [[198, 51, 100], 24, "reserved"],
  [[203, 0, 113], 24, "reserved"],
  [[224], 4, "multicast"],
  [[240], 4, "reserved"], // includes 255.255.255.255
];

// IPv6 ranges, as 16-bit groups. Ranges that embed an IPv4 address are handled in classifyV6.
const V6_RANGES: readonly Range[] = [
  [[0x0100, 0, 0, 0], 64, "reserved"], // discard-only
  [[0x2001, 0x0db8], 32, "reserved"], // documentation
  [[0x2001], 23, "reserved"], // IETF protocol assignments, includes Teredo
  [[0x0064, 0xff9b, 0x0001], 48, "reserved"], // local-use NAT64
  [[0xfc00], 7, "unique-local"], // includes fd00:ec2::254, the AWS metadata address
  [[0xfe80], 10, "link-local"],
  [[0xfec0], 10, "private"], // deprecated site-local
  [[0xff00], 8, "multicast"],
];

function inRange(value: readonly number[], width: number, prefix: readonly number[], bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= width) {
    const mask = bits >= width ? (1 << width) - 1 : ((1 << width) - 1) ^ ((1 << (width - bits)) - 1);
    if (((value[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyV4(bytes: readonly number[]): AddressKind {
  for (const [prefix, bits, kind] of V4_RANGES) if (inRange(bytes, 8, prefix, bits)) return kind;
  return "public";
}

function parseV4(s: string): number[] {
  return s.split(".").map(Number);
}

/** Expand an IPv6 address (already validated by isIP) into eight 16-bit groups. */
function parseV6(s: string): number[] {
  let text = s.split("%")[0] ?? "";
  // Rewrite a trailing dotted quad (::ffff:1.2.3.4) as two hex groups.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const [a = 0, b = 0, c = 0, d = 0] = parseV4(tail);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const toGroups = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
  const halves = text.split("::");
  if (halves.length === 1) return toGroups(text);
  const left = toGroups(halves[0] ?? "");
  const right = toGroups(halves[1] ?? "");
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function embeddedV4(groups: readonly number[], at: number): number[] {
  const hi = groups[at] ?? 0;
  const lo = groups[at + 1] ?? 0;
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

function classifyV6(groups: readonly number[]): AddressKind {
  const first96Zero = groups.slice(0, 6).every((g) => g === 0);
  if (first96Zero && groups[6] === 0 && groups[7] === 0) return "unspecified";
  if (first96Zero && groups[6] === 0 && groups[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the embedded IPv4 address.
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (mapped || nat64) return classifyV4(embeddedV4(groups, 6));
  if (first96Zero) return "reserved"; // deprecated IPv4-compatible ::a.b.c.d
  if (groups[0] === 0x2002) return classifyV4(embeddedV4(groups, 1)); // 6to4 embeds an IPv4 address
  for (const [prefix, bits, kind] of V6_RANGES) if (inRange(groups, 16, prefix, bits)) return kind;
  // Only 2000::/3 is global unicast; everything else is unassigned or special.
  return ((groups[0] ?? 0) & 0xe000) === 0x2000 ? "public" : "reserved";
}

/** The kind of an IP address, or null when `address` is not an IP literal. Brackets are allowed. */
export function classifyAddress(address: string): AddressKind | null {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return classifyV4(parseV4(bare));
  if (family === 6) return classifyV6(parseV6(bare));
  return null;
}
