// REPL semantics of one call, through a real executor process running real Pyodide.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ExecutorProcess } from "../src/host/executor-process.ts";
import { b64, job, unb64 } from "./helpers.ts";

describe("one call behaves like a REPL cell", () => {
  let ex: ExecutorProcess;
  before(async () => {
    ex = await ExecutorProcess.spawn();
  });
  after(() => ex.kill("killed_shutdown"));

  test("stdout, and the repr of the last expression as result", async () => {
    const o = await ex.run(job("print('hello')\nx = 20\nx * 2 + 2"));
    assert.equal(o.status, "ok");
    assert.equal(o.stdout, "hello\n");
    assert.equal(o.result, "42");
    assert.equal(o.error, null);
  });

  test("result is repr(), not str()", async () => {
    const o = await ex.run(job("'a' + 'b'"));
    assert.equal(o.result, "'ab'");
  });

  test("no result when the last statement is not an expression, or the value is None", async () => {
    assert.equal((await ex.run(job("x = 5"))).result, null);
    assert.equal((await ex.run(job("None"))).result, null);
    assert.equal((await ex.run(job("print('x')"))).result, null);
  });

  test("stdout and stderr are captured separately", async () => {
    const o = await ex.run(job("import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.stdout.write('more')"));
    assert.equal(o.stdout, "out\nmore");
    assert.equal(o.stderr, "err\n");
  });

  test("an exception gives type, message and a traceback of the user's frames only", async () => {
    const o = await ex.run(job("def f(x):\n    return 1 / x\nprint('before')\nf(0)"));
    assert.equal(o.status, "error");
    assert.equal(o.stdout, "before\n");
    assert.equal(o.error?.type, "ZeroDivisionError");
    assert.equal(o.error?.message, "division by zero");
    assert.match(o.error!.traceback, /File "<cell>", line 4, in <module>/);
    assert.match(o.error!.traceback, /File "<cell>", line 2, in f/);
    assert.match(o.error!.traceback, /return 1 \/ x/);
    assert.doesNotMatch(o.error!.traceback, /arbor_runner|_pyodide|pyodide\.asm/);
  });

  test("a syntax error is reported as SyntaxError with its line", async () => {
    const o = await ex.run(job("x = 1\ndef (:\n"));
    assert.equal(o.status, "error");
    assert.equal(o.error?.type, "SyntaxError");
    assert.match(o.error!.traceback, /line 2/);
  });

  // The runner compiles a cell from source up to its last top-level statement and only that
  // statement through the AST (arbor_runner.py _compile_cell). These cells would tell the split
  // from a whole-program compile if it were wrong.
  test("the last expression of a many-line cell is its result; a split inside a construct is never taken", async () => {
    const cells: Array<[string, string | null]> = [
      ["x = 1\ny = 2\nx + y", "3"],
      ['s = """\n1\n"""', null],
      ['s = """\n1\n"""\nlen(s)', "3"],
      ["x = (1,\n2)\nx", "(1, 2)"],
      ["x = 1 + \\\n2\nx", "3"],
      ["if False:\n    a = 1\nelse:\n    a = 2\na", "2"],
      ["import functools\n@functools.cache\ndef f():\n    return 7\nf()", "7"],
      ["def f():\n    return 5\n\n# a comment\n   \nf()\n# trailing comment\n", "5"],
      ["x = 2\ny = 3; x * y", "6"],
    ];
    for (const [code, result] of cells) {
      const o = await ex.run(job(code));
      assert.equal(o.status, "ok", `${JSON.stringify(code)}: ${JSON.stringify(o.error)}`);
      assert.equal(o.result, result, JSON.stringify(code));
    }
  });

  test("a split cell keeps line numbers (also with \\r\\n and lone \\r), __future__ imports and module docstring rules", async () => {
    for (const code of ["x = 1\ny = 2\n1 / 0", "x = 1\r\ny = 2\r\n1 / 0", "x = 1\ry = 2\n1 / 0"]) {
      const o = await ex.run(job(code));
      assert.equal(o.error?.type, "ZeroDivisionError", JSON.stringify(code));
      assert.match(o.error!.traceback, /File "<cell>", line 3, in <module>/, JSON.stringify(code));
    }
    const head = await ex.run(job("def f():\n    raise ValueError('in head')\nx = 1\nf()"));
    assert.match(head.error!.traceback, /line 4, in <module>[\s\S]*line 2, in f/);
    // The head's __future__ import governs the tail (the class): its annotations stay strings.
    const future = await ex.run(job("from __future__ import annotations\nx = 1\nclass C:\n    a: Undefined\n    print(__annotations__)"));
    assert.equal(future.stdout, "{'a': 'Undefined'}\n", JSON.stringify(future.error));
    // A string first on the last line is not the module's docstring: it is not the first statement.
    const doc = await ex.run(job("x = 1\n'not a docstring'; y = __doc__; y"));
    assert.equal(doc.status, "ok", JSON.stringify(doc.error));
    assert.equal(doc.result, null);
    // A syntax error in the part before the last statement is reported as such, with its line.
    const bad = await ex.run(job("x = 1\ny = (2,\nz = 3\nx"));
    assert.equal(bad.error?.type, "SyntaxError");
    assert.match(bad.error!.message, /line 2|never closed|invalid syntax/);
    // A compile-time warning is shown once, at its line, even though the tail is parsed apart.
    const warned = await ex.run(job("x = 1\ny = 2\nx is 1"));
    assert.equal(warned.result, "True");
    assert.equal(warned.stderr.match(/SyntaxWarning/g)?.length, 1, warned.stderr);
    assert.match(warned.stderr, /<cell>:3: SyntaxWarning/);
  });

  test("exit() ends the cell, not the interpreter; a non-zero code is an error", async () => {
    const ok = await ex.run(job("print('a')\nimport sys\nsys.exit(0)\nprint('b')"));
    assert.equal(ok.status, "ok");
    assert.equal(ok.stdout, "a\n");
    const bad = await ex.run(job("raise SystemExit(3)"));
    assert.equal(bad.status, "error");
    assert.equal(bad.error?.type, "SystemExit");
    assert.equal((await ex.run(job("1 + 1"))).result, "2");
  });

  test("unicode in code, output and result round-trips", async () => {
    const o = await ex.run(job("s = 'héllo wörld — 你好 🌳'\nprint(s)\ns"));
    assert.equal(o.stdout, "héllo wörld — 你好 🌳\n");
    assert.equal(o.result, "'héllo wörld — 你好 🌳'");
  });

  test("large output is returned whole when under the limit", async () => {
    const o = await ex.run(job("for i in range(20000):\n    print(i)"));
    assert.equal(o.status, "ok");
    const lines = o.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 20000);
    assert.equal(lines[19999], "19999");
  });

  test("output past max_output_bytes is cut and marked", async () => {
    const o = await ex.run(job("while True:\n    print('x' * 100)", { max_output_bytes: 1000 }));
    assert.equal(o.status, "output_limit");
    assert.equal(o.truncated, true);
    assert.ok(Buffer.byteLength(o.stdout) <= 1000);
    assert.ok(o.stdout.startsWith("x".repeat(100)));
  });

  test("stdin is readable", async () => {
    const o = await ex.run(job("import sys\nline = input()\nrest = sys.stdin.read()\n(line, rest)", { stdin: "first\nsecond\nthird\n" }));
    assert.equal(o.result, "('first', 'second\\nthird\\n')");
  });

  test("input files land in /workspace (the cwd); return_files sends back created and changed files", async () => {
    const o = await ex.run(
      job(
        "import os\nprint(os.getcwd())\ndata = open('in/data.csv').read()\nopen('out.txt', 'w').write(data.upper())\nopen('keep.txt', 'a').write('+')\nsorted(os.listdir('.'))",
        {
          files: [
            { path: "in/data.csv", content_b64: b64("a,b\n1,2\n") },
            { path: "keep.txt", content_b64: b64("k") },
            { path: "same.txt", content_b64: b64("unchanged") },
          ],
          return_files: true,
        },
      ),
    );
    assert.equal(o.status, "ok", JSON.stringify(o.error));
    assert.equal(o.stdout, "/workspace\n");
    assert.equal(o.result, "['in', 'keep.txt', 'out.txt', 'same.txt']");
    const files = new Map((o.files ?? []).map((f) => [f.path, unb64(f.content_b64)]));
    assert.equal(files.get("out.txt"), "A,B\n1,2\n");
    assert.equal(files.get("keep.txt"), "k+");
    assert.equal(files.has("same.txt"), false, "unchanged inputs are not sent back");
    assert.equal(files.has("in/data.csv"), false);
  });

  test("a file path outside /workspace is refused", async () => {
    const o = await ex.run(job("1", { files: [{ path: "../etc/passwd", content_b64: b64("x") }] }));
    assert.equal(o.status, "error");
    assert.equal(o.error?.type, "ValueError");
    assert.match(o.error!.message, /outside \/workspace/);
  });

  test("binary files round-trip byte for byte", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const o = await ex.run(job("data = open('b.bin','rb').read()\nopen('c.bin','wb').write(bytes(reversed(data)))\nlen(data)", {
      files: [{ path: "b.bin", content_b64: bytes.toString("base64") }],
      return_files: true,
    }));
    assert.equal(o.result, "256");
    const back = Buffer.from(o.files!.find((f) => f.path === "c.bin")!.content_b64, "base64");
    assert.deepEqual([...back], [...bytes].reverse());
  });

  test("the stdlib agents use is pre-imported and usable", async () => {
    const o = await ex.run(
      job(
        "import json, re, datetime, math, statistics, collections, decimal, fractions, hashlib, base64, csv, sqlite3, zoneinfo, uuid\n" +
          "db = sqlite3.connect(':memory:')\ndb.execute('create table t(x)')\ndb.executemany('insert into t values (?)', [(i,) for i in range(10)])\n" +
          "(db.execute('select sum(x) from t').fetchone()[0], statistics.mean([1,2,3]), hashlib.sha256(b'a').hexdigest()[:8], json.dumps({'a': [1]}))",
      ),
    );
    assert.equal(o.status, "ok", JSON.stringify(o.error));
    assert.equal(o.result, "(45, 2, 'ca978112', '{\"a\": [1]}')");
  });

  test("a call's globals hold only __main__'s dunders: boot's warm-up leaves no name behind", async () => {
    // Preloaded modules are imported, not bound: `json` is a NameError until the cell imports it.
    const o = await ex.run(job("[n for n in globals() if not (n.startswith('__') and n.endswith('__'))]"));
    assert.equal(o.status, "ok", JSON.stringify(o.error));
    assert.equal(o.result, "[]");
    const unbound = await ex.run(job("json.dumps(1)"));
    assert.equal(unbound.error?.type, "NameError");
  });

  test("random is reseeded every call; a seed makes it deterministic", async () => {
    const draws = new Set<string>();
    for (let i = 0; i < 5; i++) draws.add((await ex.run(job("import random\nrandom.random()"))).result!);
    assert.equal(draws.size, 5, "every fresh interpreter draws different numbers");
    const a = await ex.run(job("import random\n[random.randint(0, 10**9) for _ in range(3)]", { seed: 1234 }));
    const b = await ex.run(job("import random\n[random.randint(0, 10**9) for _ in range(3)]", { seed: 1234 }));
    assert.equal(a.result, b.result);
  });

  test("two executors booted the same way draw different random numbers", async () => {
    // Both start every call from byte-identical memory (deterministic boot), the second executor
    // on its very first call: only the per-call reseed from the real random source tells them apart.
    const other = await ExecutorProcess.spawn();
    try {
      const code = "import random\nrandom.getrandbits(128)";
      const mine = await ex.run(job(code));
      const theirs = await other.run(job(code));
      assert.equal(theirs.status, "ok", JSON.stringify(theirs.error));
      assert.notEqual(mine.result, theirs.result);
    } finally {
      other.kill("killed_shutdown");
    }
  });

  test("timing is reported", async () => {
    const o = await ex.run(job("1"));
    assert.ok(o.timing.exec_ms > 0);
    assert.ok(o.timing.restore_ms >= 0);
  });
});
