// The pieces of the tools capability that need no process: reading a component's WIT, checking
// JSON values against WIT types and converting them for jco, capping a core module's memory,
// and which WASI interfaces a manifest may declare. Fast; no components built.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { declared, refusal } from "../src/tools/interfaces.ts";
import { checkValue, fromJs, toJs, ValueTypeError } from "../src/tools/values.ts";
import { capMemories, definedMemories } from "../src/tools/wasm-memory.ts";
import { parseComponentWit, WitParseError } from "../src/tools/wit.ts";
import { signatureText, type WitType } from "../src/tools/wit-types.ts";
import { toolConfigIssues } from "../src/tools/config.ts";
import { previewArgs } from "../src/tools/audit.ts";

// As jco's componentWit prints a componentize-js component (imports, then types, then exports).
const PRINTED = `package root:component;

world root {
  import wasi:io/poll@0.2.12;
  import wasi:cli/stdout@0.2.12;
  import wasi:filesystem/types@0.2.12;

  record item {
    label: string,
    qty: u32,
    price: f64,
  }
  enum color {
    red,
    green,
  }
  flags perms {
    read,
    write,
  }
  variant shape {
    circle(f64),
    dot,
  }
  type items = list<item>;

  export summarize: func(name: string, items: items, note: option<string>) -> result<item, string>;
  export paint: func(c: color, p: perms, s: shape, pair: tuple<u8, s64>) -> %type;
  record %type {
    %list: list<u8>,
  }
  export open: func(d: borrow<descriptor>);
  resource descriptor;
}
`;

describe("WIT of a component", () => {
  const world = parseComponentWit(PRINTED);

  test("lists the imported interfaces with their versions", () => {
    assert.deepEqual(world.imports, ["wasi:io/poll@0.2.12", "wasi:cli/stdout@0.2.12", "wasi:filesystem/types@0.2.12"]);
  });

  test("resolves every named type of an exported function's signature", () => {
    const f = world.functions.find((x) => x.name === "summarize")!;
    assert.equal(signatureText(f), "summarize(name: string, items: list<item>, note: option<string>) -> result<item, string>");
    const items = f.params[1]!.type as Extract<WitType, { kind: "list" }>;
    assert.deepEqual(items.of, {
      kind: "record",
      name: "item",
      fields: [
        { name: "label", type: { kind: "string" } },
        { name: "qty", type: { kind: "u32" } },
        { name: "price", type: { kind: "f64" } },
      ],
    });
    const paint = world.functions.find((x) => x.name === "paint")!;
    assert.equal(signatureText(paint), "paint(c: color, p: perms, s: shape, pair: tuple<u8, s64>) -> type");
    assert.deepEqual(paint.result, { kind: "record", name: "type", fields: [{ name: "list", type: { kind: "list", of: { kind: "u8" } } }] });
  });

  test("a function with a resource handle cannot be a tool, and says why", () => {
    assert.deepEqual(world.unsupported, [{ name: "open", reason: "'borrow<descriptor>' is a resource handle, which cannot cross the bridge as JSON" }]);
  });

  test("exported interfaces: their functions, with types used from sibling interfaces", () => {
    const w = parseComponentWit(`package local:calc@1.0.0;
interface types {
  record pair { a: s32, b: s32 }
}
interface api {
  use types.{pair as p};
  add: func(x: p) -> s32;
}
world calc {
  export api;
}`);
    assert.deepEqual(w.functions.map((f) => [f.interface, signatureText(f)]), [["api", "add(x: pair) -> s32"]]);
  });

  test("text that is not WIT is a parse error naming the line", () => {
    assert.throws(() => parseComponentWit("package a:b;\nworld w {\n  export f: func(x: ) -> u8;\n}"), (e: unknown) => e instanceof WitParseError && /line 3/.test((e as Error).message));
  });
});

describe("JSON values against WIT types", () => {
  const item: WitType = {
    kind: "record",
    name: "item",
    fields: [
      { name: "label", type: { kind: "string" } },
      { name: "qty", type: { kind: "u32" } },
      { name: "note", type: { kind: "option", of: { kind: "string" } } },
    ],
  };
  const items: WitType = { kind: "list", of: item };

  test("a mismatch names the parameter and the path inside it", () => {
    assert.throws(() => checkValue([{ label: "a", qty: 1 }, { label: "b", qty: "2" }], items, "items"), {
      name: "Error",
      message: "items[1].qty: expected int (u32), got str",
    });
    assert.throws(() => checkValue([{ label: "a", qty: -1 }], items, "items"), /items\[0\]\.qty: -1 is out of range for u32/);
    assert.throws(() => checkValue([{ label: "a", qty: 1, extra: 1 }], items, "items"), /record item has no field 'extra'/);
    assert.throws(() => checkValue([{ qty: 1 }], items, "items"), /missing field 'label'/);
    assert.throws(() => checkValue("xy", { kind: "char" }, "c"), ValueTypeError);
    assert.throws(() => checkValue(true, { kind: "s32" }, "n"), /expected int \(s32\), got bool/);
  });

  test("valid values pass, an absent option field is None", () => {
    checkValue([{ label: "a", qty: 4294967295 }], items, "items");
    checkValue({ ok: 3 }, { kind: "result", ok: { kind: "u8" }, err: { kind: "string" } }, "r");
    checkValue("dot", { kind: "variant", name: "shape", cases: [{ name: "dot", type: null }] }, "s");
  });

  test("toJs gives jco's shapes (camelCase fields, BigInt, typed arrays, tagged variants) and fromJs undoes them", () => {
    const rec: WitType = { kind: "record", name: "r", fields: [{ name: "first-name", type: { kind: "string" } }, { name: "big", type: { kind: "u64" } }] };
    assert.deepEqual(toJs({ "first-name": "ada", big: 5 }, rec), { firstName: "ada", big: 5n });
    assert.deepEqual(fromJs({ firstName: "ada", big: 2n ** 60n }, rec), { "first-name": "ada", big: "1152921504606846976" });
    assert.ok(toJs([1, 2], { kind: "list", of: { kind: "u8" } }) instanceof Uint8Array);
    assert.deepEqual(fromJs(new Uint8Array([1, 2]), { kind: "list", of: { kind: "u8" } }), [1, 2]);
    const shape: WitType = { kind: "variant", name: "shape", cases: [{ name: "circle", type: { kind: "f64" } }, { name: "dot", type: null }] };
    assert.deepEqual(toJs({ circle: 2 }, shape), { tag: "circle", val: 2 });
    assert.deepEqual(fromJs({ tag: "dot" }, shape), "dot");
    const perms: WitType = { kind: "flags", name: "perms", flags: ["read", "write-all"] };
    assert.deepEqual(toJs(["write-all"], perms), { read: false, writeAll: true });
    assert.deepEqual(fromJs({ read: true, writeAll: false }, perms), ["read"]);
    assert.equal(toJs(null, { kind: "option", of: { kind: "string" } }), undefined);
    assert.equal(fromJs(Number.NaN, { kind: "f64" }), "nan");
  });
});

describe("memory cap of a core module", () => {
  // (module (memory 2) (memory 1 10)) is not valid MVP; one memory, no maximum: 00 61 73 6d 01 00 00 00 05 03 01 00 02
  const module = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x02]);

  test("a defined memory gets the maximum, and V8 enforces it", () => {
    const capped = capMemories(module, 4);
    assert.deepEqual(definedMemories(capped).initialPages, [2]);
    assert.ok(new WebAssembly.Module(capped), "still a valid module");
    const instance = new WebAssembly.Instance(new WebAssembly.Module(capMemories(exportedMemory(), 3)));
    const mem = instance.exports.m as WebAssembly.Memory;
    assert.equal(mem.grow(2), 1);
    assert.throws(() => mem.grow(1), RangeError);
  });

  test("a memory that starts above the cap is refused", () => {
    assert.throws(() => capMemories(module, 1), /starts at 1 MiB, above memory_mb/);
  });
});

// (module (memory (export "m") 1))
function exportedMemory(): Uint8Array {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00,
  ]);
}

describe("WASI interfaces in a manifest", () => {
  test("sockets and serving HTTP are refused with the reason, unknown interfaces too; outgoing HTTP is provided", () => {
    assert.match(refusal("wasi:sockets/tcp@0.2.3")!, /^wasi:sockets\/tcp is forbidden: tools get no network sockets/);
    assert.match(refusal("wasi:http/incoming-handler@0.2.12")!, /^wasi:http\/incoming-handler is forbidden: tools do not serve HTTP/);
    assert.equal(refusal("wasi:http/outgoing-handler@0.2.12"), null);
    assert.equal(refusal("wasi:http/types"), null);
    assert.match(refusal("acme:db/query")!, /not provided by the tool host/);
    assert.equal(refusal("wasi:filesystem/types@0.2.12"), null);
    assert.equal(refusal("wasi:cli/*"), null);
  });

  test("an import is declared by its exact name or a package wildcard, whatever the version", () => {
    assert.ok(declared("wasi:cli/stdout@0.2.12", ["wasi:cli/*"]));
    assert.ok(declared("wasi:io/poll@0.2.12", ["wasi:io/poll@0.2.3"]));
    assert.ok(!declared("wasi:filesystem/types@0.2.12", ["wasi:cli/*", "wasi:filesystem/preopens"]));
  });

  test("config: a grant naming an unregistered tool, and duplicate names, are config errors", () => {
    const issues = toolConfigIssues({
      tools: [{ name: "a" }, { name: "a" }],
      capabilities: { tools: { allow: ["a", "b"] } },
      tenants: [{ name: "t", capabilities: { tools: { allow: ["c"] } } }],
    });
    assert.deepEqual(issues.map((i) => [i.path.join("."), i.message]), [
      ["tools.1.name", 'duplicate tool name "a"'],
      ["capabilities.tools.allow.1", 'no tool named "b" is registered in "tools"'],
      ["tenants.0.capabilities.tools.allow.0", 'no tool named "c" is registered in "tools"'],
    ]);
  });
});

describe("audit preview of a tool call's arguments", () => {
  test("small arguments read as JSON; megabytes are cut while walked, not serialised whole", () => {
    assert.equal(previewArgs(["ada", [{ label: "pen", qty: 2 }], null], 120), '"ada",[{"label":"pen","qty":2}],null');
    const big = previewArgs(["x".repeat(5_000_000), Array.from({ length: 100_000 }, () => ({ a: [1, 2, 3] }))], 120);
    assert.ok(big.length < 300, `${big.length} characters`);
    assert.ok(big.startsWith('"xxxx'));
  });
});
