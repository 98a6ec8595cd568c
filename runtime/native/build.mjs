// Builds the optional native restore addon (userfaultfd / PAGEMAP_SCAN / memfd) with node-gyp.
// It never fails `npm install`: without the addon every strategy falls back to memcpy restore,
// and the runtime says so in its log and in /healthz.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
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

// The executor launcher (Landlock, uid drop before node starts): one C file, one cc call. Without
// it executors start unconfined by Landlock, and the daemon says so in its log and in /healthz.
const launcherDir = join(here, "..", "launcher");
if (existsSync(join(launcherDir, "arbor-launch.c"))) {
  mkdirSync(join(launcherDir, "build"), { recursive: true });
  const cc = process.env.CC ?? "cc";
  const l = spawnSync(cc, ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-o", join(launcherDir, "build", "arbor-launch"), join(launcherDir, "arbor-launch.c")], { stdio: "inherit" });
  if (l.status !== 0) console.warn("arbor: executor launcher failed to build; executors will run without Landlock and uid drop");
}
