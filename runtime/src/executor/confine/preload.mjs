// Loaded with --import before the executor under Node's permission model, where
// process.binding() throws ERR_ACCESS_DENIED. Pyodide's NODEFS reads open() flags from
// process.binding("constants") while it loads; the same numbers are public in fs.constants.
import { constants } from "node:fs";
import os from "node:os";

const original = process.binding;
process.binding = function binding(name) {
  if (name === "constants") return { fs: constants, os: os.constants };
  return original.call(process, name);
};
