// The JavaScript side of one interpreter, in process: what Python cannot reach any more must not
// help an attacker who reaches it anyway (defense in depth). Pyodide's objects are frozen, the
// doors that would make state outside the restore throw, no JsProxy can be made after the seal,
// and Emscripten's memory views are repaired after a call stopped mid-growth.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { PyodideEngine } from "../src/engine/pyodide/pyodide-engine.ts";
import { Interpreter } from "../src/executor/interpreter.ts";

describe("the sealed JS side of an interpreter", () => {
  let interp: Interpreter;
  let engine: PyodideEngine;
  let module: Record<string, any>;
  let pyodide: Record<string, any>;
  before(async () => {
    interp = await Interpreter.create({});
    engine = interp.engine as PyodideEngine;
    pyodide = engine.pyodide as unknown as Record<string, any>;
    module = pyodide._module;
  });

  test("new mounts, wasm code, lazy files and devices are refused after boot", () => {
    const fs = pyodide.FS;
    assert.throws(() => fs.mount(module.MEMFS ?? {}, {}, "/workspace"), /disabled after boot/);
    assert.throws(() => fs.unmount("/"), /disabled after boot/);
    assert.throws(() => fs.createLazyFile("/tmp", "x", "http://127.0.0.1/", true, false), /disabled after boot/);
    assert.throws(() => fs.registerDevice(fs.makedev(99, 0), {}), /disabled after boot/);
    assert.throws(() => module.loadWebAssemblyModule(new Uint8Array(8)), /disabled after boot/);
    assert.equal(module.NODEFS, undefined);
    assert.equal(fs.filesystems.NODEFS, undefined);
  });

  test("Pyodide's objects cannot be replaced or extended", () => {
    assert.throws(() => {
      module.callPyObject = () => "forged";
    }, TypeError);
    assert.throws(() => {
      module.arbor_expando = 1;
    }, TypeError);
    assert.throws(() => {
      pyodide._api.fatal_error = () => {};
    }, TypeError);
    assert.throws(() => {
      pyodide.FS.lookupPath = () => null;
    }, TypeError);
    assert.throws(() => {
      pyodide.FS.root.node_ops.lookup = () => null;
    }, TypeError);
    assert.equal(Object.isExtensible(pyodide), false);
  });

  test("no JsProxy can be made after the seal, whoever asks", () => {
    const before = engine.refusedJsProxies;
    // The C core's own entry point, called the way Pyodide's JS does: it gets NULL, not a proxy.
    const made = module._JsProxy_create({ anything: true });
    module._PyErr_Clear();
    assert.equal(made, 0);
    assert.equal(engine.refusedJsProxies, before + 1);
    const seen = interp.runCellNow({ code: "print('still fine')" });
    assert.equal(seen.stdout, "still fine\n");
    interp.reset();
  });

  test("memory views left on a detached buffer (a call stopped mid-growth) are rebuilt", () => {
    const grow = WebAssembly.Memory.prototype.grow;
    grow.call(engine.memory, 1); // grows without Emscripten rebuilding its views
    assert.notEqual(module.HEAPU8.buffer, engine.memory.buffer);
    assert.equal(interp.fingerprint().parts.heap_views, "false");
    engine.repairAfterStop();
    assert.equal(module.HEAPU8.buffer, engine.memory.buffer);
    assert.equal(interp.fingerprint().parts.heap_views, "true");
    const seen = interp.runCellNow({ code: "print(sum(range(100)))" });
    assert.equal(seen.stdout, "4950\n");
    interp.reset();
  });
});
