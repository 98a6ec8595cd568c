// Header rules for web_fetch requests, and flattening of response headers.
import { denied, quote, valueError } from "./errors.ts";
import type { WebFetchPolicy } from "./policy.ts";

// Always refused: Host would let code pick another virtual host than the one the allowlist
// approved; hop-by-hop and framing headers are the daemon's business (request smuggling).
export const ALWAYS_DENIED_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
  "expect",
  "http2-settings",
]);

/** Dropped when a redirect leaves the origin, as browsers do: credentials are for the first site. */
export const CROSS_ORIGIN_DROPPED = ["authorization", "cookie", "proxy-authorization"] as const;

export function requestHeaders(policy: WebFetchPolicy, headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (ALWAYS_DENIED_HEADERS.has(lower)) {
      throw denied("web_fetch", `header ${quote(name)} is not allowed (hop-by-hop or set by the daemon)`);
    }
    if (policy.deny_headers.includes(lower)) throw denied("web_fetch", `header ${quote(name)} is in web_fetch.deny_headers`);
    if (lower in out) throw valueError("web_fetch", `header ${quote(name)} is given twice`);
    out[lower] = value;
  }
  return out;
}

export function flattenResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
