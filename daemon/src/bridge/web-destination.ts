// Per-hop checks for web_fetch: scheme, allowlist, and (for IP literals) the address kind.
// Names are checked again at connect time by guarded-lookup.ts, on the address actually used.
import { denied, quote, valueError } from "./errors.ts";
import { canonicalHost, isExplicit, matchHost } from "./host-pattern.ts";
import { classifyAddress } from "./net-address.ts";
import type { WebFetchPolicy } from "./policy.ts";

export interface Destination {
  readonly host: string;
  readonly port: number;
  /** Matched by an exact entry with a port, so non-public addresses are allowed. */
  readonly explicit: boolean;
}

export const NON_PUBLIC_RULE =
  "non-public addresses need an exact web_fetch.allow entry with a port, e.g. '127.0.0.1:8080'";

export function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw valueError("web_fetch", `invalid URL ${quote(raw)}`);
  }
}

export function checkDestination(policy: WebFetchPolicy, url: URL): Destination {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw denied("web_fetch", `scheme ${quote(url.protocol)} is not allowed (only http and https)`);
  }
  if (url.username !== "" || url.password !== "") {
    throw denied("web_fetch", "credentials in the URL are not allowed (send an Authorization header)");
  }
  const host = canonicalHost(url.hostname);
  const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const pattern = matchHost(policy.allow, host, port);
  if (pattern === null) throw denied("web_fetch", `${quote(`${host}:${port}`)} is not in web_fetch.allow`);
  const explicit = isExplicit(pattern);
  const kind = classifyAddress(host);
  if (kind !== null && kind !== "public" && !explicit) {
    throw denied("web_fetch", `${quote(host)} is a ${kind} address; ${NON_PUBLIC_RULE}`);
  }
  return { host, port, explicit };
}
