// DNS lookup for web_fetch connections that refuses non-public addresses at connect time.
// Checking the name before connecting is not enough: a name can resolve to a public address for
// the check and to 127.0.0.1 for the connection (DNS rebinding). This checks what we connect to.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { denied, type HostCallError, quote } from "./errors.ts";
import { classifyAddress } from "./net-address.ts";
import { NON_PUBLIC_RULE } from "./web-destination.ts";

export function guardedLookup(allowNonPublic: boolean, onDenied: (e: HostCallError) => void): LookupFunction {
  return ((hostname: string, options: { family?: number | string; all?: boolean; hints?: number }, callback: Function) => {
    const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : Number(options.family ?? 0);
    dnsLookup(hostname, { all: true, family, hints: options.hints ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }));
      if (!allowNonPublic) {
        // Refuse if any record is non-public rather than picking the public ones: a mixed answer is suspect.
        for (const a of addresses) {
          const kind = classifyAddress(a.address) ?? "reserved";
          if (kind !== "public") {
            const e = denied("web_fetch", `${quote(hostname)} resolved to ${a.address}, a ${kind} address; ${NON_PUBLIC_RULE}`);
            onDenied(e);
            return callback(e);
          }
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}
