// How an executor process is launched: the command, its arguments and its environment. This is
// where the OS confinement of executors is assembled (see the security docs); executor-process.ts
// only spawns what this returns.
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../executor/main.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");

export interface LaunchOptions {
  strategy?: string;
  recycleAfterCalls?: number;
}

export interface LaunchSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function launchSpec(options: LaunchOptions): LaunchSpec {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: "production" };
  if (options.strategy) env.ARBOR_RESTORE = options.strategy;
  if (options.recycleAfterCalls) env.ARBOR_RECYCLE_AFTER = String(options.recycleAfterCalls);
  // No code generation from strings: a JS object that leaks to Python cannot become Function("...").
  return { command: process.execPath, args: ["--disallow-code-generation-from-strings", "--import", TSX, MAIN], env };
}
