// A real Arbor daemon for the SDK tests, in this process (as daemon/test/http.test.ts does),
// configured with sdks/contract/daemon-config.json: one tenant, so auth is on.
import { fileURLToPath } from "node:url";
import { createArbor } from "../../../../daemon/src/app.ts";
import { loadConfig } from "../../../../daemon/src/config/index.ts";

export const CONTRACT_DIR = fileURLToPath(new URL("../../../contract/", import.meta.url));
export const API_KEY = "sdk-test-key";

export interface TestDaemon {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startDaemon(): Promise<TestDaemon> {
  const config = loadConfig({ argv: ["--config", `${CONTRACT_DIR}daemon-config.json`], env: { ARBOR_WORKERS: "1" } });
  const arbor = await createArbor({ config });
  await arbor.ready();
  const baseUrl = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
  return { baseUrl, close: () => arbor.close() };
}
