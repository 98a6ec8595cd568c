// web_fetch against a real HTTP server on 127.0.0.1: allowlist per hop, loopback rule, caps.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { guardedLookup } from "../src/bridge/guarded-lookup.ts";
import { type CapabilitiesConfigInput, effectivePolicy, parseCapabilitiesConfig, performHostCall } from "../src/bridge/index.ts";

let server: Server;
let port: number;
let base: string;
const hits: string[] = [];
let hugeResponse: ServerResponse | null = null;

before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? "/";
    hits.push(url);
    const redirect = (to: string, status = 302) => res.writeHead(status, { location: to }).end();
    if (url === "/hello") return res.end("hello");
    if (url === "/r1") return redirect("/r2");
    if (url === "/r2") return redirect(`${base}/final`, 301);
    if (url === "/final") return res.end("final");
    if (url === "/loop") return redirect("/loop");
    if (url === "/to-denied") return redirect("http://denied.example.test/secret");
    if (url === "/to-localhost") return redirect(`http://localhost:${port}/echo`);
    if (url === "/see-other") return redirect("/echo", 303);
    if (url === "/binary") return res.end(Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    if (url === "/huge") {
      // 64 MiB, written with backpressure: far more than the socket buffers can hold.
      hugeResponse = res;
      const chunk = Buffer.alloc(64 * 1024, "a");
      let left = 1024;
      const pump = () => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    if (url === "/slow-body") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("start");
      return; // never ends
    }
    if (url === "/slow-headers") return; // never answers
    if (url === "/echo") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () =>
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString(), headers: req.headers }),
        ),
      );
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

type Web = NonNullable<CapabilitiesConfigInput["web_fetch"]>;
function fetchWith(args: Record<string, unknown>, web: Partial<Web> = {}, deadlineMs = 30_000) {
  const config = parseCapabilitiesConfig({ web_fetch: { allow: [`127.0.0.1:${port}`], ...web } });
  return performHostCall({ name: "web_fetch", args }, { policy: effectivePolicy(config), deadline: Date.now() + deadlineMs });
}

interface Value {
  status: number;
  headers: Record<string, string>;
  body: string;
  encoding: string;
  truncated: boolean;
  url: string;
}
function valueOf(r: Awaited<ReturnType<typeof fetchWith>>): Value {
  assert.equal(r.reply.ok, true, `expected success, got ${JSON.stringify(r.reply)}`);
  if (!r.reply.ok) throw new Error("unreachable");
  return r.reply.value as Value;
}
function errorOf(r: Awaited<ReturnType<typeof fetchWith>>) {
  assert.equal(r.reply.ok, false, `expected a failure, got ${JSON.stringify(r.reply)}`);
  if (r.reply.ok) throw new Error("unreachable");
  return r.reply.error;
}
/** Run fn and return the request paths the server saw meanwhile. */
async function served(fn: () => Promise<unknown>): Promise<string[]> {
  const start = hits.length;
  await fn();
  return hits.slice(start);
}

describe("web_fetch", () => {
  test("fetches from an allowed host:port", async () => {
    const r = await fetchWith({ url: `${base}/hello` });
    const v = valueOf(r);
    assert.equal(v.status, 200);
    assert.equal(v.body, "hello");
    assert.equal(v.encoding, "utf-8");
    assert.equal(v.truncated, false);
    assert.equal(v.url, `${base}/hello`);
    assert.equal(r.record.outcome, "ok");
    assert.equal(r.record.args_summary, `GET ${base}/hello`);
  });

  test("a host not in web_fetch.allow is denied before any connection", async () => {
    const r = await fetchWith({ url: "http://denied.example.test/x" });
    const e = errorOf(r);
    assert.equal(e.type, "PermissionError");
    assert.equal(e.message, "web_fetch: 'denied.example.test:80' is not in web_fetch.allow");
    assert.equal(r.record.outcome, "denied");
  });

  test("a redirect to a denied host is refused at that hop", async () => {
    let e: { type: string; message: string } | undefined;
    const seen = await served(async () => {
      e = errorOf(await fetchWith({ url: `${base}/to-denied` }));
    });
    assert.equal(e?.type, "PermissionError");
    assert.match(e?.message ?? "", /'denied\.example\.test:80' is not in web_fetch\.allow/);
    assert.deepEqual(seen, ["/to-denied"]);
  });

  test("a redirect to another name for the same server is checked against the allowlist too", async () => {
    let e: { type: string; message: string } | undefined;
    const seen = await served(async () => {
      e = errorOf(await fetchWith({ url: `${base}/to-localhost` }));
    });
    assert.equal(e?.type, "PermissionError");
    assert.match(e?.message ?? "", /'localhost:\d+' is not in web_fetch\.allow/);
    assert.deepEqual(seen, ["/to-localhost"]);
  });

  test("an allowed redirect chain is followed to the final URL", async () => {
    const seen = await served(async () => {
      const v = valueOf(await fetchWith({ url: `${base}/r1` }));
      assert.equal(v.status, 200);
      assert.equal(v.body, "final");
      assert.equal(v.url, `${base}/final`);
    });
    assert.deepEqual(seen, ["/r1", "/r2", "/final"]);
  });

  test("more redirects than web_fetch.max_redirects is an error", async () => {
    let e: { type: string; message: string } | undefined;
    const seen = await served(async () => {
      e = errorOf(await fetchWith({ url: `${base}/loop` }, { max_redirects: 2 }));
    });
    assert.equal(e?.type, "OSError");
    assert.match(e?.message ?? "", /web_fetch\.max_redirects = 2/);
    assert.equal(seen.length, 3);
  });

  test("a body over web_fetch.max_response_bytes is cut off and the transfer stopped", async () => {
    const v = valueOf(await fetchWith({ url: `${base}/huge` }, { max_response_bytes: 100_000 }));
    assert.equal(v.truncated, true);
    assert.equal(v.body.length, 100_000);
    assert.equal(v.encoding, "utf-8");
    const res = hugeResponse as ServerResponse | null;
    assert.ok(res !== null);
    if (!res.destroyed) await once(res, "close");
    assert.equal(res.writableFinished, false, "the server should not have been able to send all 64 MiB");
  });

  test("a body that stalls past web_fetch.timeout_ms is a TimeoutError", async () => {
    const r = await fetchWith({ url: `${base}/slow-body` }, { timeout_ms: 400 });
    const e = errorOf(r);
    assert.equal(e.type, "TimeoutError");
    assert.match(e.message, /^web_fetch: timed out/);
    assert.equal(r.record.outcome, "error");
  });

  test("a server that never answers is a TimeoutError bounded by the eval deadline", async () => {
    const e = errorOf(await fetchWith({ url: `${base}/slow-headers` }, { timeout_ms: 60_000 }, 400));
    assert.equal(e.type, "TimeoutError");
  });

  test("loopback is refused unless named exactly with its port", async () => {
    const seen = await served(async () => {
      for (const [allow, url] of [
        ["127.0.0.1", `${base}/hello`],
        ["*.0.0.1", null],
        ["[::ffff:127.0.0.1]", `http://[::ffff:127.0.0.1]:${port}/hello`],
        ["127.0.0.1", `http://2130706433:${port}/hello`],
      ] as const) {
        if (url === null) {
          assert.throws(() => parseCapabilitiesConfig({ web_fetch: { allow: [allow] } }), /cannot prefix an IP address/);
          continue;
        }
        const e = errorOf(await fetchWith({ url }, { allow: [allow] }));
        assert.equal(e.type, "PermissionError");
        assert.match(e.message, /is a loopback address; non-public addresses need an exact web_fetch\.allow entry with a port/);
      }
    });
    assert.deepEqual(seen, []);
    assert.equal(valueOf(await fetchWith({ url: `${base}/hello` }, { allow: [`127.0.0.1:${port}`] })).body, "hello");
  });

  test("a name resolving to loopback is refused at connect time unless named exactly with its port", async () => {
    const seen = await served(async () => {
      const e = errorOf(await fetchWith({ url: `http://localhost:${port}/hello` }, { allow: ["localhost"] }));
      assert.equal(e.type, "PermissionError");
      assert.match(e.message, /'localhost' resolved to [0-9a-f.:]+, a loopback address/);
    });
    assert.deepEqual(seen, []);
  });

  test("the connect-time lookup refuses non-public answers for names matched loosely", async () => {
    const reported: { error: Error | null } = { error: null };
    const lookup = guardedLookup(false, (e) => {
      reported.error = e;
    });
    const err = await new Promise<Error | null>((resolve) => lookup("localhost", { all: true }, (e) => resolve(e)));
    assert.ok(err !== null);
    assert.equal(err, reported.error);
    assert.match(err.message, /loopback/);
    const ok = await new Promise<unknown>((resolve) => guardedLookup(true, () => {})("localhost", { all: true }, (_e, a) => resolve(a)));
    assert.ok(Array.isArray(ok) && ok.length > 0);
  });

  test("a method not in web_fetch.methods is denied and never sent", async () => {
    const seen = await served(async () => {
      const e = errorOf(await fetchWith({ url: `${base}/echo`, method: "post", body_b64: Buffer.from("x").toString("base64") }));
      assert.equal(e.type, "PermissionError");
      assert.equal(e.message, "web_fetch: method 'POST' is not in web_fetch.methods");
    });
    assert.deepEqual(seen, []);
  });

  test("an allowed POST sends its body and headers", async () => {
    const v = valueOf(
      await fetchWith(
        { url: `${base}/echo`, method: "POST", headers: { "X-Test": "1" }, body_b64: Buffer.from("payload").toString("base64") },
        { methods: ["GET", "POST"] },
      ),
    );
    const echo = JSON.parse(v.body) as { method: string; body: string; headers: Record<string, string> };
    assert.equal(echo.method, "POST");
    assert.equal(echo.body, "payload");
    assert.equal(echo.headers["x-test"], "1");
  });

  test("303 after POST becomes a GET without the body", async () => {
    const v = valueOf(
      await fetchWith({ url: `${base}/see-other`, method: "POST", body_b64: Buffer.from("payload").toString("base64") }, { methods: ["GET", "POST"] }),
    );
    const echo = JSON.parse(v.body) as { method: string; body: string };
    assert.deepEqual([echo.method, echo.body], ["GET", ""]);
  });

  test("credentials are dropped when a redirect leaves the origin", async () => {
    const v = valueOf(
      await fetchWith(
        { url: `${base}/to-localhost`, headers: { Authorization: "Bearer secret", "X-Keep": "yes" } },
        { allow: [`127.0.0.1:${port}`, `localhost:${port}`] },
      ),
    );
    const echo = JSON.parse(v.body) as { headers: Record<string, string> };
    assert.equal(echo.headers.authorization, undefined);
    assert.equal(echo.headers["x-keep"], "yes");
  });

  test("Host, hop-by-hop and web_fetch.deny_headers headers are refused", async () => {
    for (const name of ["Host", "Transfer-Encoding", "Connection"]) {
      const e = errorOf(await fetchWith({ url: `${base}/echo`, headers: { [name]: "x" } }));
      assert.equal(e.type, "PermissionError");
      assert.match(e.message, /is not allowed \(hop-by-hop or set by the daemon\)/);
    }
    const e = errorOf(await fetchWith({ url: `${base}/echo`, headers: { Cookie: "a=b" } }, { deny_headers: ["cookie"] }));
    assert.equal(e.message, "web_fetch: header 'Cookie' is in web_fetch.deny_headers");
    const bad = errorOf(await fetchWith({ url: `${base}/echo`, headers: { "X-Evil": "a\r\nHost: other" } }));
    assert.equal(bad.type, "ValueError");
  });

  test("a binary body comes back as base64", async () => {
    const v = valueOf(await fetchWith({ url: `${base}/binary` }));
    assert.equal(v.encoding, "base64");
    assert.deepEqual([...Buffer.from(v.body, "base64")], [0xff, 0xfe, 0x00, 0x80]);
  });

  test("only http and https, and no credentials in the URL", async () => {
    for (const url of ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:70/"]) {
      const e = errorOf(await fetchWith({ url }));
      assert.equal(e.type, "PermissionError");
      assert.match(e.message, /only http and https/);
    }
    const e = errorOf(await fetchWith({ url: `http://user:pw@127.0.0.1:${port}/hello` }));
    assert.match(e.message, /credentials in the URL/);
    assert.equal(errorOf(await fetchWith({ url: "not a url" })).type, "ValueError");
  });
});
