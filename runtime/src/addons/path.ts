// Where the native addons built for the running Node are. arbor_deadline uses V8's C++ API, so
// it only loads into the Node ABI it was compiled against (process.versions.modules): each ABI
// gets its own build directory (runtime/native/build.mjs), and Node 20, 22 and 24 can share one
// checkout. The directory sits two levels below runtime/ like every runtime/src/* module, so this
// resolves the same from the sources and from the executor bundle (runtime/build/executor/).
import { fileURLToPath } from "node:url";

/** Relative to runtime/; must match abiDir in runtime/native/build.mjs (node-gyp adds build/Release). */
export const ADDON_SUBDIR = `native/build/node-abi${process.versions.modules}/build/Release`;
export const ADDON_DIR = fileURLToPath(new URL(`../../${ADDON_SUBDIR}/`, import.meta.url));

export function addonPath(name: "arbor_restore" | "arbor_deadline" | "arbor_confine" | "arbor_loop_spin"): string {
  return `${ADDON_DIR}${name}.node`;
}
