// Where runtime/ is, for every module that needs a file of its own there (the Python runner,
// the native addons, the launcher). This module sits two directories below runtime/, as
// does the executor bundle (runtime/build/executor/main.mjs) it is bundled into: the one
// import.meta.url-relative path resolves the same either way. Modules elsewhere ask here.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const RUNTIME_DIR = realpathSync(fileURLToPath(new URL("../../", import.meta.url)));
