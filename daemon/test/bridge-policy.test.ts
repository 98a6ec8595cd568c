// Policy config parsing, tenant ∩ request, host patterns and address classification.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { matchHost, parseHostPattern } from "../src/bridge/host-pattern.ts";
import { effectivePolicy, grantedCapabilities, parseCapabilitiesConfig, performHostCall } from "../src/bridge/index.ts";
import { classifyAddress } from "../src/bridge/net-address.ts";

describe("capability config", () => {
  test("fills defaults and freezes the result", () => {
    const c = parseCapabilitiesConfig({
      files: { root: "/srv/work/" },
      shell: { allow: ["ls", { cmd: "grep", args: ["-[a-z]+"] }] },
      web_fetch: { allow: ["api.example.com"] },
    });
    assert.equal(c.files?.root, "/srv/work");
    assert.equal(c.files?.write, false);
    assert.equal(c.files?.max_read_bytes, 4 * 1024 * 1024);
    assert.equal(c.shell?.timeout_ms, 10_000);
    assert.equal(c.shell?.max_output_bytes, 1024 * 1024);
    assert.deepEqual(c.web_fetch?.methods, ["GET", "HEAD"]);
    assert.equal(c.web_fetch?.max_redirects, 5);
    assert.equal(c.max_host_calls, 256);
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.shell) && Object.isFrozen(c.shell?.allow));
    assert.throws(() => {
      (c.shell?.allow as unknown[]).push("rm");
    });
  });

  test("an empty or absent config grants nothing", () => {
    assert.deepEqual(grantedCapabilities(effectivePolicy(parseCapabilitiesConfig(undefined))), []);
    assert.deepEqual(grantedCapabilities(effectivePolicy(parseCapabilitiesConfig({}))), []);
  });

  test("rejects bad keys with a message naming them", () => {
    const bad: [unknown, RegExp][] = [
      [{ shell: { allow: ["ls"], allowed: [] } }, /capabilities\.shell: Unrecognized key/],
      [{ files: { root: "relative/dir" } }, /capabilities\.files\.root: must be an absolute path/],
      [{ files: {} }, /capabilities\.files\.root/],
      [{ shell: { allow: ["../bin/rm"] } }, /capabilities\.shell\.allow\.0/],
      [{ shell: { allow: [{ cmd: "grep", args: ["(unclosed"] }] } }, /invalid regular expression/],
      [{ web_fetch: { allow: ["https://api.example.com/path"] } }, /invalid host pattern/],
      [{ web_fetch: { allow: ["example.com:99999"] } }, /port out of range/],
      [{ web_fetch: { methods: ["CONNECT"] } }, /capabilities\.web_fetch\.methods\.0/],
      [{ files: { root: "/x", max_read_bytes: 1e12 } }, /capabilities\.files\.max_read_bytes/],
      [{ browser: {} }, /Unrecognized key/],
    ];
    for (const [raw, message] of bad) assert.throws(() => parseCapabilitiesConfig(raw), message, JSON.stringify(raw));
  });
});

describe("effective policy", () => {
  const config = parseCapabilitiesConfig({ files: { root: "/tmp" }, shell: { allow: ["echo"] } });

  test("no request list means the tenant's whole policy; a list narrows it", () => {
    assert.deepEqual(grantedCapabilities(effectivePolicy(config)), ["shell", "files"]);
    assert.deepEqual(grantedCapabilities(effectivePolicy(config, ["files", "web_fetch"])), ["files"]);
    assert.deepEqual(grantedCapabilities(effectivePolicy(config, [])), []);
  });

  test("a call outside the effective policy is denied naming the rule", async () => {
    const deadline = Date.now() + 10_000;
    const narrowed = await performHostCall(
      { name: "shell", args: { argv: ["echo", "hi"] } },
      { policy: effectivePolicy(config, ["files"]), deadline },
    );
    assert.deepEqual(narrowed.reply, {
      ok: false,
      error: { type: "PermissionError", message: "shell: not granted (the request's capabilities do not include 'shell')" },
    });
    assert.equal(narrowed.record.outcome, "denied");
    const notConfigured = await performHostCall(
      { name: "web_fetch", args: { url: "https://example.com/" } },
      { policy: effectivePolicy(config), deadline },
    );
    assert.deepEqual(notConfigured.reply, {
      ok: false,
      error: { type: "PermissionError", message: "web_fetch: not granted (capabilities.web_fetch is not enabled in the policy)" },
    });
    const files = await performHostCall({ name: "read_file", args: { path: "x" } }, { policy: effectivePolicy(config, ["shell"]), deadline });
    assert.match(files.reply.ok ? "" : files.reply.error.message, /^files: not granted/);
  });
});

describe("host patterns", () => {
  const patterns = ["api.example.com", "*.example.org", "127.0.0.1:8080", "[::1]:9000", "Mixed.Case.COM."].map(parseHostPattern);
  const match = (host: string, port: number) => matchHost(patterns, host, port)?.source ?? null;

  test("exact names match on any port; wildcards match subdomains only", () => {
    assert.equal(match("api.example.com", 443), "api.example.com");
    assert.equal(match("api.example.com", 8443), "api.example.com");
    assert.equal(match("evil-api.example.com", 443), null);
    assert.equal(match("a.example.org", 443), "*.example.org");
    assert.equal(match("a.b.example.org", 80), "*.example.org");
    assert.equal(match("example.org", 443), null);
    assert.equal(match("example.org.evil.com", 443), null);
    assert.equal(match("mixed.case.com", 443), "Mixed.Case.COM.");
  });

  test("an entry with a port matches only that port", () => {
    assert.equal(match("127.0.0.1", 8080), "127.0.0.1:8080");
    assert.equal(match("127.0.0.1", 8081), null);
    assert.equal(match("[::1]", 9000), "[::1]:9000");
    assert.equal(match("[::1]", 80), null);
  });
});

describe("address classification", () => {
  test("non-public IPv4 ranges", () => {
    const cases: [string, string][] = [
      ["127.0.0.1", "loopback"],
      ["127.255.0.9", "loopback"],
      ["10.1.2.3", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.1", "private"],
      ["100.64.0.1", "shared (CGNAT)"],
      ["100.127.255.255", "shared (CGNAT)"],
      ["169.254.169.254", "link-local"],
      ["0.0.0.0", "unspecified"],
      ["224.0.0.1", "multicast"],
      ["255.255.255.255", "reserved"],
      ["198.18.0.1", "reserved"],
    ];
    for (const [ip, kind] of cases) assert.equal(classifyAddress(ip), kind, ip);
  });

  test("public IPv4 next to the ranges' edges", () => {
    for (const ip of ["8.8.8.8", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "169.253.0.1", "1.1.1.1"]) {
      assert.equal(classifyAddress(ip), "public", ip);
    }
  });

  test("IPv6, including IPv4 embedded in mapped, NAT64 and 6to4 forms", () => {
    const cases: [string, string][] = [
      ["::1", "loopback"],
      ["[::1]", "loopback"],
      ["::", "unspecified"],
      ["fe80::1", "link-local"],
      ["fd00:ec2::254", "unique-local"],
      ["fc00::1", "unique-local"],
      ["ff02::1", "multicast"],
      ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback"],
      ["::ffff:169.254.169.254", "link-local"],
      ["::ffff:10.0.0.1", "private"],
      ["64:ff9b::10.0.0.1", "private"],
      ["2002:7f00:1::", "loopback"],
      ["2001:db8::1", "reserved"],
      ["::127.0.0.1", "reserved"],
      ["2606:4700:4700::1111", "public"],
      ["::ffff:8.8.8.8", "public"],
      ["2002:808:808::1", "public"],
    ];
    for (const [ip, kind] of cases) assert.equal(classifyAddress(ip), kind, ip);
  });

  test("names are not addresses", () => {
    assert.equal(classifyAddress("localhost"), null);
    assert.equal(classifyAddress("example.com"), null);
  });
});

describe("docs/capabilities.md", () => {
  test("lists every policy key with the default the code uses", async () => {
    const doc = await readFile(new URL("../../docs/capabilities.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("## Policy keys"), doc.indexOf("## Effective policy"));
    assert.ok(section.length > 0, "the Policy keys section is missing");
    const documented = new Map<string, string>();
    for (const m of section.matchAll(/^\| `([a-z_.]+)` \| (`[^`]*`|required) \|/gm)) documented.set(m[1] ?? "", m[2] ?? "");
    const defaults = parseCapabilitiesConfig({ files: { root: "/x" }, shell: {}, web_fetch: {}, tools: {} });
    const actual = new Map<string, string>();
    const walk = (prefix: string, obj: object) => {
      for (const [k, v] of Object.entries(obj)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (v !== null && typeof v === "object" && !Array.isArray(v)) walk(key, v);
        else actual.set(key, key === "files.root" ? "required" : `\`${JSON.stringify(v)}\``);
      }
    };
    walk("", defaults);
    assert.deepEqual(Object.fromEntries(documented), Object.fromEntries(actual));
  });
});
