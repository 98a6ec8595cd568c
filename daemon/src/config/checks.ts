// Rules that span several keys, run after the schema accepted each key on its own.
import { isIP } from "node:net";
import type { ConfigIssue } from "./format-issues.ts";
import type { Path } from "./merge.ts";
import type { Limits, ParsedConfig } from "./schema.ts";
import { apiKeyDigestHex, effectiveLimits } from "./tenants.ts";
import { toolConfigIssues } from "../tools/config.ts";

export function crossFieldIssues(config: ParsedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [...limitIssues(config.limits, ["limits"], "limits")];

  const names = new Set<string>();
  const digests = new Set<string>();
  config.tenants.forEach((tenant, i) => {
    const at: Path = ["tenants", i];
    const limits = effectiveLimits(config.limits, config.queue, tenant.limits);
    issues.push(...limitIssues(limits, [...at, "limits"], `effective limits of tenant "${tenant.name}"`));
    if (names.has(tenant.name)) issues.push({ path: [...at, "name"], message: `duplicate tenant name "${tenant.name}"` });
    names.add(tenant.name);
    const digest = apiKeyDigestHex(tenant.api_key);
    if (digests.has(digest)) issues.push({ path: [...at, "api_key"], message: "same API key as an earlier tenant" });
    digests.add(digest);
  });

  issues.push(...toolConfigIssues(config));

  if (config.states.store === "redis" && config.states.redis_url === null) {
    issues.push({ path: ["states", "redis_url"], message: 'states.store "redis" needs states.redis_url (e.g. "redis://127.0.0.1:6379")' });
  }

  if (config.tenants.length === 0 && !config.allow_open && !isLoopback(config.host)) {
    issues.push({
      path: ["host"],
      message:
        `refusing to serve without tenants on non-loopback host "${config.host}"; ` +
        `configure tenants (API keys) or set "allow_open": true`,
    });
  }
  return issues;
}

// Each default must fit under its own maximum, or every call that relies on it would be refused.
function limitIssues(limits: Limits, at: Path, what: string): ConfigIssue[] {
  const pairs = [
    ["timeout_ms", "max_timeout_ms"],
    ["memory_mb", "max_memory_mb"],
  ] as const;
  return pairs
    .filter(([value, max]) => limits[value] > limits[max])
    .map(([value, max]) => ({
      path: [...at, value],
      message: `${limits[value]} is above ${max} (${limits[max]}) in ${what}`,
    }));
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice("::ffff:".length) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}
