// Prints the OpenAPI document the daemon serves at /openapi.json, as committed in sdks/openapi.json:
//   node --import tsx daemon/src/commands/openapi.ts > sdks/openapi.json
// No executor is booted: the document depends on the routes' schemas only.
import { pathToFileURL } from "node:url";
import { createArbor } from "../app.ts";
import { loadConfig } from "../config/index.ts";

export async function openApiDocumentText(): Promise<string> {
  const arbor = await createArbor({ config: loadConfig({ argv: [], env: {} }) });
  try {
    const res = await arbor.app.inject({ method: "GET", url: "/openapi.json" });
    return `${JSON.stringify(res.json(), null, 2)}\n`;
  } finally {
    await arbor.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(await openApiDocumentText());
}
