// The docs' examples run against a real daemon, so the docs cannot rot.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client } from "../src/index.ts";
import { searchTree } from "../../../docs/examples/rl_tree.ts";
import { API_KEY, startDaemon, type TestDaemon } from "./support/daemon.ts";

let daemon: TestDaemon;
let client: Client;
before(async () => {
  daemon = await startDaemon();
  client = new Client({ baseUrl: daemon.baseUrl, apiKey: API_KEY });
});
after(async () => {
  await client.close();
  await daemon.close();
});

// The TypeScript example here (rl_tree), the Python one (agent_loop) in the Python twin.
test("examples_run_against_a_real_daemon", async () => {
  const best = await searchTree(client);
  assert.equal(best.score, 0, `path ${JSON.stringify(best.path)}`);
  assert.equal(best.path.reduce((a, b) => a + b, 0), 13);
  assert.equal(best.states, 1 + 5 * 8);
});
