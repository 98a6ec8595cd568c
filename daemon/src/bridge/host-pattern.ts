// web_fetch.allow entries: "api.example.com", "*.example.org", "127.0.0.1:8080", "[::1]:8080".
// No port means any port. "*." matches any subdomain, not the bare domain.
import { isIP } from "node:net";

export interface HostPattern {
  readonly source: string;
  readonly wildcard: boolean;
  readonly host: string; // canonical: lowercase, punycode, IPv6 in brackets, no trailing dot
  readonly port: number | null;
}

const ENTRY = /^(\*\.)?(\[[0-9A-Fa-f:.]+\]|[^:[\]/\\@?#*\s]+)(?::(\d{1,5}))?$/;

/** Canonical host name as WHATWG URL parsing gives it (so "0x7f.1" and "127.0.0.1" compare equal). */
export function canonicalHost(hostname: string): string {
  const h = hostname.toLowerCase();
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

export function parseHostPattern(entry: string): HostPattern {
  const m = ENTRY.exec(entry);
  if (!m) throw new Error(`invalid host pattern '${entry}'`);
  const wildcard = m[1] !== undefined;
  const rawHost = m[2] ?? "";
  let host: string;
  try {
    host = canonicalHost(new URL(`http://${rawHost}/`).hostname);
  } catch {
    throw new Error(`invalid host pattern '${entry}'`);
  }
  if (host === "") throw new Error(`invalid host pattern '${entry}'`);
  const isLiteral = host.startsWith("[") || isIP(host) !== 0;
  if (wildcard && isLiteral) throw new Error(`host pattern '${entry}': '*.' cannot prefix an IP address`);
  const port = m[3] === undefined ? null : Number(m[3]);
  if (port !== null && (port < 1 || port > 65535)) throw new Error(`host pattern '${entry}': port out of range`);
  return Object.freeze({ source: entry, wildcard, host, port });
}

/** An exact entry with a port: the only kind that may reach a non-public address. */
export function isExplicit(p: HostPattern): boolean {
  return !p.wildcard && p.port !== null;
}

/** The most specific entry matching host:port (explicit first), or null. `host` must be canonical. */
export function matchHost(patterns: readonly HostPattern[], host: string, port: number): HostPattern | null {
  let best: HostPattern | null = null;
  let bestRank = -1;
  for (const p of patterns) {
    if (p.port !== null && p.port !== port) continue;
    const hostMatches = p.wildcard ? host.endsWith(`.${p.host}`) : host === p.host;
    if (!hostMatches) continue;
    const rank = (p.wildcard ? 0 : 2) + (p.port === null ? 0 : 1);
    if (rank > bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}
