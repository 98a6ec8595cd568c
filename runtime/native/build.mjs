// Builds the optional native restore addon (userfaultfd / PAGEMAP_SCAN / memfd) with node-gyp.
// It never fails `npm install`: without the addon every strategy falls back to memcpy restore,
// and the runtime says so in its log and in /healthz.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, "binding.gyp"))) {
  console.log("arbor: no native addon sources; memcpy restore only");
  process.exit(0);
}
if (process.platform !== "linux") {
  console.log(`arbor: native restore addon is Linux-only (platform ${process.platform}); memcpy restore only`);
  process.exit(0);
}
// Outside npm (plain `node build.mjs`) neither npm_config_node_gyp nor the nodedir config is set:
// fall back to npm's bundled node-gyp and to the headers installed next to this node binary,
// instead of node-gyp trying to download headers.
const prefix = dirname(dirname(process.execPath));
const bundledGyp = join(prefix, "lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js");
const onPath = spawnSync("node-gyp", ["--version"], { stdio: "ignore" }).status === 0;
const gyp = process.env.npm_config_node_gyp ?? (onPath || !existsSync(bundledGyp) ? "node-gyp" : bundledGyp);
const localHeaders = existsSync(join(prefix, "include/node/node_api.h"));
const nodedir = process.env.npm_config_nodedir ? [] : localHeaders ? [`--nodedir=${prefix}`] : [];
const isJs = gyp.endsWith(".js");
const cmd = isJs ? process.execPath : gyp;
const args = isJs ? [gyp, "rebuild", ...nodedir] : ["rebuild", ...nodedir];
const r = spawnSync(cmd, args, { cwd: here, stdio: "inherit" });
if (r.status !== 0) {
  console.warn("arbor: native restore addon failed to build; the runtime will fall back to memcpy restore");
}
