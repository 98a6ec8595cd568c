// A Python call whose deadline passes while it waits on a slow tool call (the tool host starting
// cold): the reply arrives after the executor's own deadline, when the call guard terminates the
// call. The termination used to land between reading a frame's header and its body, leaving the
// pipe out of step: the executor died with exit code 70 on the next job. Now the guard holds the
// termination back until the host call's reply is read.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { misbehaveComponent } from "./tools-fixtures.ts";

const KEY = "alpha-key-0123456789";

describe("a call that times out while it waits on a tool call", () => {
  let arbor: Arbor;
  let base: string;
  before(async () => {
    const misbehave = await misbehaveComponent();
    const file = {
      workers: 1,
      tenants: [{ name: "alpha", api_key: KEY, capabilities: { tools: { allow: ["spin", "add"] } } }],
      tools: [
        // Its own limit is far away: the Python call's deadline is what ends it.
        { name: "spin", component: misbehave.path, sha256: misbehave.sha256, export: "spin", timeout_ms: 60_000 },
        { name: "add", component: misbehave.path, sha256: misbehave.sha256, export: "add" },
      ],
    };
    arbor = await createArbor({ config: loadConfig({ argv: ["--config", "arbor.json"], env: {}, readFile: () => JSON.stringify(file) }) });
    await arbor.ready();
    base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await arbor?.close();
  });

  const run = async (code: string, timeout_ms: number) => {
    const res = await request(`${base}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ code, timeout_ms }),
    });
    return (await res.body.json()) as Record<string, any>;
  };

  /** Kills the tool host, so the next tool call waits for a new one to start. */
  async function coldToolHost(): Promise<void> {
    const host = arbor.services.tools.host!;
    if (host.pid === null) return;
    process.kill(host.pid, "SIGKILL");
    while (host.pid !== null) await new Promise((r) => setTimeout(r, 20));
  }

  test("the call ends timeout, the executor is reset as usual, the next call is fine", async () => {
    for (const timeout of [300, 600, 900]) {
      await coldToolHost();
      const slow = await run('import host\nhost.tool("spin")', timeout);
      assert.equal(slow.status, "timeout", JSON.stringify(slow));
      assert.equal(slow.error.type, "TimeoutError");
      assert.deepEqual(slow.host_calls.map((c: any) => [c.name, c.outcome]), [["tool", "error"]]);
      const next = await run('import host\nhost.tool("add", 1, 2)', 30_000);
      assert.equal(next.status, "ok", JSON.stringify(next));
      assert.equal(next.result, "3");
    }
    const health = (await (await request(`${base}/healthz`)).body.json()) as any;
    assert.equal(health.crashes, 0, "no executor died");
  });
});
