// Which WASI interfaces the tool host provides, and which it never will. A tool's manifest
// (`wasi`) lists what it may import; its component's actual imports must be within that list,
// and the list within what the host provides.

/** Provided by the tool host (preview2-shim, narrowed: see host/wasi-imports.ts). */
export const HOSTED_INTERFACES: ReadonlySet<string> = new Set([
  "wasi:io/error",
  "wasi:io/poll",
  "wasi:io/streams",
  "wasi:clocks/monotonic-clock",
  "wasi:clocks/wall-clock",
  "wasi:random/random",
  "wasi:random/insecure",
  "wasi:random/insecure-seed",
  "wasi:cli/environment",
  "wasi:cli/exit",
  "wasi:cli/stdin",
  "wasi:cli/stdout",
  "wasi:cli/stderr",
  "wasi:cli/terminal-input",
  "wasi:cli/terminal-output",
  "wasi:cli/terminal-stdin",
  "wasi:cli/terminal-stdout",
  "wasi:cli/terminal-stderr",
  "wasi:filesystem/types",
  "wasi:filesystem/preopens",
  // Requests go to the daemon, which performs them under the call's web_fetch policy (host/wasi-http.ts).
  "wasi:http/types",
  "wasi:http/outgoing-handler",
]);

/** Never granted, whatever the manifest says; the reason is part of the refusal. */
const FORBIDDEN: ReadonlyArray<[prefix: string, why: string]> = [
  ["wasi:sockets/", "tools get no network sockets"],
  ["wasi:http/incoming-handler", "tools do not serve HTTP (outgoing requests use wasi:http/outgoing-handler)"],
];

/** `wasi:cli/stdout@0.2.12` → `wasi:cli/stdout`. */
export function unversioned(name: string): string {
  const at = name.indexOf("@");
  return at < 0 ? name : name.slice(0, at);
}

/** Why an interface can never be granted to a tool, or null when the host can provide it. */
export function refusal(name: string): string | null {
  const bare = unversioned(name);
  for (const [prefix, why] of FORBIDDEN) if (bare.startsWith(prefix)) return `${bare} is forbidden: ${why}`;
  if (bare.endsWith("/*")) {
    const pkg = bare.slice(0, -1);
    return [...HOSTED_INTERFACES].some((i) => i.startsWith(pkg)) ? null : `${bare}: the tool host provides no interface of this package`;
  }
  if (!HOSTED_INTERFACES.has(bare)) return `${bare} is not provided by the tool host`;
  return null;
}

/** Whether an imported interface is covered by a manifest entry (exact, or `pkg/*`). */
export function declared(imported: string, manifest: readonly string[]): boolean {
  const bare = unversioned(imported);
  return manifest.some((m) => {
    const d = unversioned(m);
    return d === bare || (d.endsWith("/*") && bare.startsWith(d.slice(0, -1)));
  });
}

export const usesFilesystem = (imports: readonly string[]): boolean =>
  imports.some((i) => unversioned(i).startsWith("wasi:filesystem/"));

/** The component can send HTTP requests (under the web_fetch policy of each call). */
export const usesHttp = (imports: readonly string[]): boolean => imports.some((i) => unversioned(i) === "wasi:http/outgoing-handler");
