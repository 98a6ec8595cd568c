// `arbor mcp`: the run_python tool over stdio, for agent hosts that spawn their tools. Without
// ARBOR_URL it boots its own interpreters in-process (nothing listens); with ARBOR_URL it
// forwards calls to that daemon (ARBOR_API_KEY as the Bearer key). stdout carries MCP only:
// progress and logs go to stderr.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createArbor } from "../app.ts";
import { authenticate } from "../auth.ts";
import type { ArborConfig } from "../config/index.ts";
import { ArborError } from "../errors.ts";
import { newRequestId } from "../logging.ts";
import { localRunPython } from "../mcp/local.ts";
import { remoteRunPython } from "../mcp/remote.ts";
import { createMcpServer, type RunPython } from "../mcp/tool.ts";
import { registerToolTools } from "../tools/mcp.ts";
import { requiredLayersInForce } from "./require-layers.ts";

export async function mcpCommand(loadConfig: () => ArborConfig, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Anything printed by mistake would corrupt the protocol stream.
  console.log = console.error;
  console.info = console.error;
  const apiKey = env.ARBOR_API_KEY || undefined;
  let run: RunPython;
  let stop = async () => {};
  // In-process only: the tenant's WebAssembly tools as MCP tools (docs/tools.md).
  let addTools: (server: ReturnType<typeof createMcpServer>) => void = () => {};
  let stopping = false;
  if (env.ARBOR_URL) {
    run = remoteRunPython(env.ARBOR_URL, apiKey);
  } else {
    const config = loadConfig();
    // With tenants configured, ARBOR_API_KEY picks the tenant whose limits and policy apply.
    let tenant;
    try {
      tenant = authenticate(apiKey === undefined ? undefined : `Bearer ${apiKey}`, config);
    } catch (e) {
      if (!(e instanceof ArborError)) throw e;
      process.stderr.write(`arbor mcp: the config has tenants; set ARBOR_API_KEY to one of their keys (${e.message})\n`);
      return 2;
    }
    if (!requiredLayersInForce(config, "arbor mcp")) return 2;
    const arbor = await createArbor({ config });
    // Boot in the background: hosts time out a slow handshake (the OpenAI Agents SDK after 5 s),
    // so initialize and tools/list answer at once and a call waits for the interpreters.
    process.stderr.write(`arbor mcp: booting ${config.workers} interpreter(s)...\n`);
    const booting = arbor.ready().then(() => void process.stderr.write("arbor mcp: ready\n"));
    booting.catch((e: unknown) => {
      if (stopping) return; // the host hung up while we booted
      process.stderr.write(`arbor mcp: the interpreters failed to boot: ${String(e)}\n`);
      process.exit(1);
    });
    const local = localRunPython(arbor.services, tenant, arbor.app.log, newRequestId);
    run = async (args, signal) => {
      await booting;
      return local(args, signal);
    };
    stop = () => arbor.abort();
    addTools = (server) => registerToolTools(server, arbor.services.tools, tenant);
  }

  const server = createMcpServer(run);
  addTools(server);
  const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  // The host ends us by closing stdin or by a signal; either way the executors go too.
  process.stdin.once("end", () => void server.close());
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.close());
  await closed;
  stopping = true;
  await stop();
  // Nothing may keep a tool process alive after its host hung up.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
  return 0;
}
