// Restore strategies against real WebAssembly.Memory objects and real kernel features (no mocks).
// Strategies whose probe says unavailable are skipped with the probe's reason.
import { after, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { HOST_PAGE, WASM_PAGE, type RestoreStrategy, type StrategyFactory } from "../src/restore/strategy.ts";
import { dirtyFactory } from "../src/restore/dirty.ts";
import { cowFactory } from "../src/restore/cow.ts";
import { loadNative } from "../src/restore/native.ts";
import { loadPyodide } from "pyodide";

const INITIAL_WASM_PAGES = 480; // 30 MiB, the size of a Pyodide heap
const MAX_WASM_PAGES = 640;

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A memory filled with a pattern, every 7th host page left zero (zero pages behave differently). */
function patternedMemory(seed = 1): { memory: WebAssembly.Memory; baseline: Uint8Array } {
  const memory = new WebAssembly.Memory({ initial: INITIAL_WASM_PAGES, maximum: MAX_WASM_PAGES });
  const words = new Uint32Array(memory.buffer);
  const next = rng(seed);
  for (let i = 0; i < words.length; i++) words[i] = Math.floor((i / 1024) % 7) === 0 ? 0 : (next() * 2 ** 32) >>> 0;
  return { memory, baseline: new Uint8Array(memory.buffer.slice(0)) };
}

/** Writes `count` random byte runs (possibly crossing pages); returns the host pages touched. */
function scribble(memory: WebAssembly.Memory, count: number, next: () => number, from = 0): Set<number> {
  const view = new Uint8Array(memory.buffer);
  const pages = new Set<number>();
  for (let i = 0; i < count; i++) {
    const len = 1 + Math.floor(next() * 6000);
    const start = from + Math.floor(next() * (view.length - from - len));
    for (let j = 0; j < len; j++) view[start + j] = (view[start + j]! + 1 + Math.floor(next() * 255)) & 0xff;
    for (let p = Math.floor(start / HOST_PAGE); p <= Math.floor((start + len - 1) / HOST_PAGE); p++) pages.add(p);
  }
  return pages;
}

/** Null when memory equals the baseline and is zero past it, else a description of the first difference. */
function mismatch(memory: WebAssembly.Memory, baseline: Uint8Array): string | null {
  const buf = memory.buffer;
  const head = Buffer.from(buf, 0, baseline.length);
  if (!head.equals(baseline)) {
    const page = Math.floor(findFirstDiff(head, baseline) / HOST_PAGE);
    return `differs from the baseline at host page ${page}`;
  }
  const tail = new Uint8Array(buf, baseline.length);
  const nonZero = tail.findIndex((b) => b !== 0);
  return nonZero === -1 ? null : `non-zero byte at ${baseline.length + nonZero}, past the baseline`;
}

function findFirstDiff(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const sorted = (pages: Iterable<number>): number[] => [...pages].sort((x, y) => x - y);

/** The memcpy reference and a do-nothing strategy, local to this file, to check the checker. */
function noopStrategy(): RestoreStrategy {
  return { name: "memcpy", reset: () => ({ pagesRestored: 0, grownBytesCleared: 0 }), writtenPages: () => null, dispose() {} };
}

test("the checker catches a reset that copies nothing", () => {
  const { memory, baseline } = patternedMemory(9);
  const strategy = noopStrategy();
  scribble(memory, 10, rng(3));
  strategy.reset();
  assert.notEqual(mismatch(memory, baseline), null);
});

describe("native addon argument checks", () => {
  const { addon, reason } = loadNative();
  test("rejects bad ranges and detached buffers with JS errors", (t: TestContext) => {
    if (!addon) return t.skip(reason);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const buf = memory.buffer;
    const argError = { code: "ERR_ARBOR_ARG" };
    assert.throws(() => addon.madvise(buf, 1, HOST_PAGE, "dontneed"), argError);
    assert.throws(() => addon.madvise(buf, 0, 2 * WASM_PAGE, "dontneed"), argError);
    assert.throws(() => addon.madvise(buf, 0, HOST_PAGE, "free" as "dontneed"), argError);
    assert.throws(() => addon.copyPages(buf, new Uint8Array(HOST_PAGE), new Uint32Array([0, 17])), argError);
    assert.throws(() => addon.copyPages(buf, new Uint8Array(HOST_PAGE), new Uint32Array([3, 3])), argError);
    assert.throws(() => addon.mapPrivateFixed(-1, buf, 0, HOST_PAGE), argError);
    assert.throws(() => addon.bufferAddress(new ArrayBuffer(0)), argError);
    memory.grow(1);
    assert.throws(() => addon.bufferAddress(buf), argError, "old buffer is detached after grow");
    assert.throws(() => addon.closeFd(1 << 30), { code: "EBADF" });
  });

  test("scanWritten refuses memory that is not registered for async WP", (t: TestContext) => {
    if (!addon) return t.skip(reason);
    const memory = new WebAssembly.Memory({ initial: 1 });
    assert.throws(() => addon.scanWritten(memory.buffer, 0, WASM_PAGE, false), (e: Error & { code?: string }) => {
      // EPERM from PM_SCAN_CHECK_WPASYNC on Linux >= 6.7; ENOTTY/EINVAL where PAGEMAP_SCAN is missing.
      return ["EPERM", "ENOTTY", "EINVAL"].includes(e.code ?? "");
    });
  });
});

const factories: StrategyFactory[] = [dirtyFactory, cowFactory];

for (const factory of factories) {
  describe(`${factory.name} strategy`, () => {
    const probe = factory.probe();
    console.log(`${factory.name} probe: ${probe.ok ? `ok — ${probe.detail}` : `unavailable — ${probe.reason}`}`);
    const live: RestoreStrategy[] = [];
    after(() => live.forEach((s) => s.dispose()));
    const setup = (seed: number) => {
      const { memory, baseline } = patternedMemory(seed);
      const strategy = factory.create(memory, baseline);
      live.push(strategy);
      return { memory, baseline, strategy };
    };

    test("random writes then reset: byte-identical to the baseline", (t: TestContext) => {
      if (!probe.ok) return t.skip(probe.reason);
      const { memory, baseline, strategy } = setup(11);
      const touched = scribble(memory, 400, rng(5));
      assert.notEqual(mismatch(memory, baseline), null, "writes must change the memory");
      const stats = strategy.reset();
      assert.equal(mismatch(memory, baseline), null);
      if (factory.name === "dirty") assert.equal(stats.pagesRestored, touched.size);
      assert.equal(stats.grownBytesCleared, 0);
    });

    test("memory.grow: grown part zero after reset, base address unchanged", (t: TestContext) => {
      if (!probe.ok) return t.skip(probe.reason);
      const { addon } = loadNative();
      assert.ok(addon);
      const { memory, baseline, strategy } = setup(12);
      const before = addon.bufferAddress(memory.buffer);
      const next = rng(6);
      for (let round = 0; round < 3; round++) {
        memory.grow(16); // 1 MiB; `memory.buffer` is a new ArrayBuffer from here on
        assert.equal(addon.bufferAddress(memory.buffer), before, "grow must not move the memory");
        scribble(memory, 50, next);
        scribble(memory, 50, next, baseline.length); // inside the grown part, incl. parts grown earlier
        const stats = strategy.reset();
        assert.ok(stats.grownBytesCleared > 0);
        assert.equal(mismatch(memory, baseline), null, `round ${round}`);
        // Writes to memory grown in an earlier call (now tracked) are undone too.
        scribble(memory, 20, next, baseline.length);
        strategy.reset();
        assert.equal(mismatch(memory, baseline), null, `round ${round}, second reset`);
      }
      assert.equal(addon.bufferAddress(memory.buffer), before);
    });

    test("writtenPages() reports exactly the pages written, without re-arming", (t: TestContext) => {
      if (!probe.ok) return t.skip(probe.reason);
      const { memory, baseline, strategy } = setup(13);
      assert.deepEqual(sorted(strategy.writtenPages() ?? []), []);
      const last = baseline.length / HOST_PAGE - 1;
      const pages = [0, 1, 2, 100, 101, 4000, last];
      const view = new Uint8Array(memory.buffer);
      for (const p of pages) view[p * HOST_PAGE + 123] = view[p * HOST_PAGE + 123]! ^ 0xff;
      assert.deepEqual(sorted(strategy.writtenPages() ?? []), pages);
      assert.deepEqual(sorted(strategy.writtenPages() ?? []), pages, "asking twice must not re-arm");
      // Pages in memory grown during this call count too; a read alone does not.
      memory.grow(1);
      const grown = new Uint8Array(memory.buffer);
      grown[(last + 3) * HOST_PAGE] = 1;
      assert.equal(grown[(last + 5) * HOST_PAGE], 0);
      assert.deepEqual(sorted(strategy.writtenPages() ?? []), [...pages, last + 3]);
      strategy.reset();
      assert.deepEqual(sorted(strategy.writtenPages() ?? []), []);
      assert.equal(mismatch(memory, baseline), null);
    });

    test("300 reset cycles with random writes and occasional growth", (t: TestContext) => {
      if (!probe.ok) return t.skip(probe.reason);
      const { memory, baseline, strategy } = setup(14);
      const next = rng(7);
      for (let cycle = 0; cycle < 300; cycle++) {
        if (cycle % 50 === 25) memory.grow(2);
        const touched = scribble(memory, 1 + Math.floor(next() * 40), next);
        if (factory.name === "dirty" && cycle % 10 === 0) {
          assert.deepEqual(sorted(strategy.writtenPages() ?? []), sorted(touched), `cycle ${cycle}`);
        }
        strategy.reset();
        if (cycle % 10 === 0 || cycle === 299) assert.equal(mismatch(memory, baseline), null, `cycle ${cycle}`);
      }
    });

    test("dispose is idempotent and leaves the memory usable", (t: TestContext) => {
      if (!probe.ok) return t.skip(probe.reason);
      const { memory, baseline, strategy } = setup(15);
      strategy.dispose();
      strategy.dispose();
      const view = new Uint8Array(memory.buffer);
      view[5] = view[5]! ^ 1;
      assert.equal(view[5], baseline[5]! ^ 1);
      assert.throws(() => strategy.reset());
    });
  });
}

/** Wraps WebAssembly.instantiate while Pyodide loads, to get at its memory and stack pointer. */
async function loadPyodideWithInstance() {
  const original = WebAssembly.instantiate;
  let instance: WebAssembly.Instance | undefined;
  const wrapped = async (...args: Parameters<typeof original>) => {
    const result = (await (original as (...a: unknown[]) => Promise<unknown>)(...args)) as
      | WebAssembly.WebAssemblyInstantiatedSource
      | WebAssembly.Instance;
    instance ??= "instance" in result ? result.instance : result;
    return result;
  };
  WebAssembly.instantiate = wrapped as typeof original;
  try {
    const pyodide = await loadPyodide({ stdout: () => {} });
    const exports = instance?.exports ?? {};
    const memory = exports["memory"];
    const stackPointer = exports["__stack_pointer"];
    assert.ok(memory instanceof WebAssembly.Memory, "pyodide exports its memory");
    assert.ok(stackPointer instanceof WebAssembly.Global, "pyodide exports __stack_pointer");
    return { pyodide, memory, stackPointer };
  } finally {
    WebAssembly.instantiate = original;
  }
}

describe("dirty strategy with real Pyodide", () => {
  const probe = dirtyFactory.probe();
  test("100 calls, each starting from a fresh interpreter", async (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { pyodide, memory, stackPointer } = await loadPyodideWithInstance();
    pyodide.runPython("import json, re, collections");
    const baseline = new Uint8Array(memory.buffer.slice(0));
    const baseStackPointer = stackPointer.value as number;
    const strategy = dirtyFactory.create(memory, baseline);
    try {
      for (let i = 0; i < 100; i++) {
        pyodide.runPython("x = 1; print(2+2)");
        assert.equal(pyodide.runPython("'x' in globals()"), true);
        strategy.reset();
        stackPointer.value = baseStackPointer;
        assert.equal(pyodide.runPython("'x' not in globals()"), true, `call ${i}`);
        assert.equal(pyodide.runPython("json.dumps(collections.Counter('abca'))"), '{"a": 2, "b": 1, "c": 1}');
        strategy.reset();
        stackPointer.value = baseStackPointer;
      }
      assert.equal(mismatch(memory, baseline), null);
    } finally {
      strategy.dispose();
    }
  });
});
