// The capability bridge end to end: Python's `import host` → executor → daemon policy check →
// real files, real processes, a real local HTTP server → back to Python, recorded in host_calls.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";

describe("capability bridge end to end", () => {
  let arbor: Arbor;
  let base: string;
  let root: string;
  let web: Server;
  let webPort = 0;
  let webHits = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "arbor-bridge-"));
    writeFileSync(join(root, "data.csv"), "name,score\nada,3\nbob,5\n");
    writeFileSync(join(root, "keep.txt"), "do not delete");
    web = createServer((req, res) => {
      webHits++;
      if (req.url === "/redirect-out") {
        res.writeHead(302, { location: "http://example.invalid/" }).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url, ok: true }));
    });
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", () => r()));
    webPort = (web.address() as { port: number }).port;
    const file = {
      workers: 1,
      capabilities: {
        files: { root, write: true },
        shell: { allow: ["ls", "echo", "sleep"], timeout_ms: 500 },
        web_fetch: { allow: [`127.0.0.1:${webPort}`] },
      },
    };
    const config = loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) });
    arbor = await createArbor({ config });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await arbor.close();
    web.close();
  });

  async function evalCode(code: string, extra: Record<string, unknown> = {}) {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, ...extra }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
  }

  test("an agent lists a directory, reads a CSV, fetches an allowlisted URL and writes a result", async () => {
    const { body } = await evalCode(`
import host, csv, io, json
listing = host.shell(["ls"])["stdout"].split()
rows = list(csv.DictReader(io.StringIO(host.read_file("data.csv"))))
resp = host.web_fetch("http://127.0.0.1:${webPort}/api?x=1")
total = sum(int(r["score"]) for r in rows)
host.write_file("out/result.txt" if False else "result.txt", f"total={total}")
(sorted(listing), total, resp["status"], json.loads(resp["body"])["path"])
`);
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(body.result, "(['data.csv', 'keep.txt'], 8, 200, '/api?x=1')");
    assert.equal(readFileSync(join(root, "result.txt"), "utf8"), "total=8");
    assert.deepEqual(body.host_calls.map((c: any) => [c.name, c.outcome]), [
      ["shell", "ok"], ["read_file", "ok"], ["web_fetch", "ok"], ["write_file", "ok"],
    ]);
    for (const c of body.host_calls) assert.equal(typeof c.duration_ms, "number");
  });

  test("a command outside the allowlist raises PermissionError naming the rule, and is recorded", async () => {
    const { body } = await evalCode(`
import host
try:
    host.shell(["rm", "-rf", "keep.txt"])
except PermissionError as e:
    msg = str(e)
msg`);
    assert.equal(body.status, "ok");
    assert.match(body.result, /shell/);
    assert.match(body.result, /rm/);
    assert.equal(body.host_calls[0].outcome, "denied");
    assert.ok(existsSync(join(root, "keep.txt")), "the file is still there");
  });

  test("path traversal out of the files root is refused", async () => {
    const { body } = await evalCode(`
import host
out = []
for p in ["../../etc/passwd", "/etc/passwd"]:
    try:
        host.read_file(p); out.append("read")
    except PermissionError:
        out.append("denied")
out`);
    assert.equal(body.result, "['denied', 'denied']");
  });

  test("a URL off the allowlist is refused without a connection", async () => {
    const before = webHits;
    const { body } = await evalCode(`
import host
try:
    host.web_fetch("http://127.0.0.1:1/")
    r = "fetched"
except PermissionError as e:
    r = "denied"
r`);
    assert.equal(body.result, "'denied'");
    assert.equal(webHits, before);
  });

  test("the request's capabilities narrow the policy", async () => {
    const { body } = await evalCode(`
import host
try:
    host.shell(["echo", "hi"]); r = "ran"
except PermissionError as e:
    r = str(e)
r`, { capabilities: ["files"] });
    assert.match(body.result, /shell/);
    assert.equal(body.host_calls[0].outcome, "denied");
  });

  test("a host command that hangs is stopped by its own timeout", async () => {
    const { body } = await evalCode(`import host\nr = host.shell(["sleep", "30"])\n(r["timed_out"], r["exit_code"])`);
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(body.result, "(True, -9)");
  });

  test("time spent queued does not eat into a call's host-call time", async () => {
    // One worker: the second call waits ~2.3 s of its 2.5 s timeout in the queue. Its host-call
    // deadline counts from when it starts running, so a 0.3 s command still has room.
    const busy = evalCode("import time\ntime.sleep(2.3)");
    await new Promise((r) => setTimeout(r, 50));
    const queued = evalCode(`import host\nr = host.shell(["sleep", "0.3"])\n(r["timed_out"], r["exit_code"])`, { timeout_ms: 2500 });
    const [first, second] = await Promise.all([busy, queued]);
    assert.equal(first.body.status, "ok");
    assert.ok(second.body.timing.queue_ms > 1000, `queued ${second.body.timing.queue_ms} ms`);
    assert.equal(second.body.status, "ok", JSON.stringify(second.body.error));
    assert.equal(second.body.result, "(False, 0)");
  });

  test("walking everything reachable from the host module (gc referents) finds no JS object", async () => {
    // Everything in the interpreter is reachable from a module (via sys.modules); what must not
    // be there is a live JS object: a JsProxy instance is a handle on the executor's JavaScript.
    const { body } = await evalCode(`
import host, gc
seen, queue, js = set(), [host], []
while queue and len(seen) < 200000:
    o = queue.pop()
    if id(o) in seen:
        continue
    seen.add(id(o))
    # A JsProxy derives from the C core's static JsProxy type (runtime/test/support/reachability.ts).
    if any(c.__name__ == "JsProxy" and not (c.__flags__ & (1 << 9)) for c in type(o).__mro__):
        js.append(type(o).__name__)
    queue.extend(gc.get_referents(o))
(len(seen) > 1000, sorted(set(js)))`);
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(body.result, "(True, [])");
  });

  test("the host module holds no JS object: its functions and globals are plain Python", async () => {
    const { body } = await evalCode(`
import host, gc, sys
kinds = set()
for name in dir(host):
    kinds.add(type(getattr(host, name)).__module__)
for v in host._call.__globals__.values():
    kinds.add(type(v).__module__)
js_like = [k for k in kinds if k and ("pyodide" in k or "js" == k)]
("js" in sys.modules, "pyodide_js" in sys.modules, js_like)`);
    assert.equal(body.status, "ok", JSON.stringify(body.error));
    assert.equal(body.result, "(False, False, [])");
  });
});

describe("capabilities a tenant does not have", () => {
  let arbor: Arbor;
  let base: string;
  before(async () => {
    arbor = await createArbor({ config: loadConfig({ argv: [], env: { ARBOR_WORKERS: "1" } }) });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(() => arbor.close());

  test("asking for one is 403 capability_denied", async () => {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: "1", capabilities: ["shell"] }),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(((await res.body.json()) as any).error.code, "capability_denied");
  });

  test("calling one without asking raises PermissionError in Python", async () => {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: "import host\ntry:\n    host.read_file('x')\nexcept PermissionError as e:\n    r = str(e)\nr" }),
    });
    const body = (await res.body.json()) as any;
    assert.match(body.result, /files/);
    assert.equal(body.host_calls[0].outcome, "denied");
  });
});
