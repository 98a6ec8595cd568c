#!/usr/bin/env node
// The `arbor` command. Arbor runs its TypeScript sources directly through tsx (no build step),
// so this shim registers tsx relative to this file and hands over to the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
