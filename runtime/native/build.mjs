// Builds the optional native addons (restore: userfaultfd / PAGEMAP_SCAN / memfd, and a state's
// pages inflated into prefaulted memory; the deadline thread; the seccomp filter) with node-gyp,
// for the Node that runs this script, and the executor launcher with cc. It never fails
// `npm install`: without an addon the runtime falls back (memcpy restore, the vm call guard, no
// seccomp) and says so in its log and in /healthz.
//
// arbor_deadline uses V8's C++ API, so an addon only loads into the Node ABI it was compiled for.
// Each ABI (process.versions.modules) gets its own directory, build/node-abi<N>/, so one checkout
// serves Node 20, 22 and 24 side by side: run this script once with each Node
// (`npm run test:node24` does it for Node 24). The runtime loads from the directory of its own ABI
// (runtime/src/addons/path.ts).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, "binding.gyp"))) {
  console.log("arbor: no native addon sources; memcpy restore only");
  process.exit(0);
}
if (process.platform !== "linux") {
  console.log(`arbor: native restore addon is Linux-only (platform ${process.platform}); memcpy restore only`);
  process.exit(0);
}

/** Must match ADDON_SUBDIR in runtime/src/addons/path.ts. */
const abiDir = join(here, "build", `node-abi${process.versions.modules}`);

/**
 * A directory holding include/node/ for exactly this Node version, or null. node-gyp would
 * otherwise download the headers from nodejs.org, which may be unreachable where only the npm
 * registry is. Node's own tarball layout has them next to bin/; for a Node that came without
 * them (`npx -p node@24` keeps only bin/node) they come from the npm registry's copy of the
 * same tarball, the `node-<platform>-<arch>` package, unpacked into build/headers/.
 */
function nodeHeaders() {
  // npm's `nodedir` setting comes first, but only if it is for this version: a machine-wide
  // npmrc naming the system Node's headers must not be used to build for Node 24.
  const candidates = process.env.npm_config_nodedir ? [process.env.npm_config_nodedir] : [];
  const prefixes = new Set([dirname(dirname(process.execPath))]);
  try {
    prefixes.add(dirname(dirname(realpathSync(process.execPath))));
  } catch {}
  for (const p of prefixes) candidates.push(p, join(p, "node_modules", `node-${process.platform}-${process.arch}`));
  // node-gyp's own cache, filled by an earlier (online) run, and ours.
  candidates.push(join(homedir(), ".cache", "node-gyp", process.versions.node), fetchedHeaders);
  return candidates.find((dir) => headerVersion(dir) === process.versions.node) ?? fetchHeaders();
}

const fetchedHeaders = join(here, "build", "headers", `node-v${process.versions.node}`);

function fetchHeaders() {
  const pkg = `node-${process.platform}-${process.arch}@${process.versions.node}`;
  console.log(`arbor: fetching Node ${process.versions.node} headers (npm package ${pkg})`);
  const tmp = mkdtempSync(join(tmpdir(), "arbor-headers-"));
  try {
    // npm itself: under `npm run` npm_execpath names its CLI; otherwise the npm on PATH.
    const npmCli = process.env.npm_execpath?.endsWith(".js") ? [process.execPath, process.env.npm_execpath] : ["npm"];
    const packed = spawnSync(npmCli[0], [...npmCli.slice(1), "pack", "--silent", "--pack-destination", tmp, pkg], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const tarball = packed.status === 0 ? readdirSync(tmp).find((f) => f.endsWith(".tgz")) : undefined;
    if (!tarball) return null;
    rmSync(fetchedHeaders, { recursive: true, force: true });
    mkdirSync(fetchedHeaders, { recursive: true });
    const untar = spawnSync("tar", ["-xzf", join(tmp, tarball), "-C", fetchedHeaders, "--strip-components=1", "package/include"], { stdio: "inherit" });
    return untar.status === 0 && headerVersion(fetchedHeaders) === process.versions.node ? fetchedHeaders : null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function headerVersion(dir) {
  try {
    const text = readFileSync(join(dir, "include", "node", "node_version.h"), "utf8");
    const part = (name) => text.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
    return `${part("MAJOR")}.${part("MINOR")}.${part("PATCH")}`;
  } catch {
    return null;
  }
}

// node-gyp: npm's (npm sets npm_config_node_gyp for install scripts and `npm run`), else one on
// PATH, else the one bundled with the npm installed next to this node.
const prefix = dirname(dirname(process.execPath));
const bundledGyp = join(prefix, "lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js");
const onPath = spawnSync("node-gyp", ["--version"], { stdio: "ignore" }).status === 0;
const gyp = process.env.npm_config_node_gyp ?? (onPath || !existsSync(bundledGyp) ? "node-gyp" : bundledGyp);
const headers = nodeHeaders();
if (!headers) console.warn(`arbor: no Node ${process.versions.node} headers found or fetched; node-gyp will try to download them`);
// node-gyp lets npm_config_nodedir override --nodedir: drop it, so that headers for another
// version are never used (the addon would build, then refuse to load).
const gypEnv = { ...process.env };
delete gypEnv.npm_config_nodedir;
const nodedir = headers ? [`--nodedir=${headers}`] : [];

// node-gyp builds into ./build of its working directory and wipes it on rebuild: each ABI builds
// in its own directory, from a copy of binding.gyp whose sources point back at ./src.
mkdirSync(abiDir, { recursive: true });
const gypFile = JSON.parse(readFileSync(join(here, "binding.gyp"), "utf8"));
for (const target of gypFile.targets) target.sources = target.sources.map((s) => relative(abiDir, join(here, s)));
writeFileSync(join(abiDir, "binding.gyp"), `${JSON.stringify(gypFile, null, 2)}\n`);
// Always with this node: a node-gyp found on PATH would otherwise run under whatever `node` is first there.
const isJs = gyp.endsWith(".js");
const cmd = isJs ? process.execPath : gyp;
const args = isJs ? [gyp, "rebuild", ...nodedir] : ["rebuild", ...nodedir];
const r = spawnSync(cmd, args, { cwd: abiDir, stdio: "inherit", env: gypEnv });
if (r.status !== 0) {
  console.warn(`arbor: native addons failed to build for Node ${process.versions.node}; the runtime will fall back (memcpy restore, vm call guard, no seccomp)`);
} else {
  console.log(`arbor: native addons built for Node ${process.versions.node} (ABI ${process.versions.modules}) in ${relative(process.cwd(), abiDir) || "."}`);
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

// The executor bundle (runtime/src/host/confine/bundle.ts), built now so that an install that is
// read-only afterwards (a container image, a root-owned global install) never needs to write it
// when the daemon starts. The daemon rebuilds it only when a source is newer.
const bundleTs = join(here, "..", "src", "host", "confine", "bundle.ts");
if (existsSync(bundleTs)) {
  const script = `const { executorBundle } = await import(${JSON.stringify(pathToFileURL(bundleTs).href)}); const r = executorBundle(); if ("error" in r) console.warn("arbor: " + r.error);`;
  const b = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], { cwd: join(here, "..", ".."), stdio: "inherit" });
  if (b.status !== 0) console.warn("arbor: could not prebuild the executor bundle; the daemon builds it when it starts");
}
