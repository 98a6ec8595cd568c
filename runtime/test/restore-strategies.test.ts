// Restore strategies against real WebAssembly.Memory objects and real kernel features (no mocks).
// Strategies whose probe says unavailable are skipped with the probe's reason.
import { after, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { HOST_PAGE, WASM_PAGE, type RestoreStrategy, type StrategyFactory } from "../src/restore/strategy.ts";
import { createDirtyStrategy, dirtyFactory, fewSpans } from "../src/restore/dirty.ts";
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

/** What a strategy's writtenPages() must report after `touched` was written: hot pages are always included. */
const expectedWritten = (strategy: RestoreStrategy, touched: Iterable<number>): number[] =>
  sorted(new Set([...touched, ...(strategy.hotPages?.() ?? [])]));

/** The memcpy reference and a do-nothing strategy, local to this file, to check the checker. */
function noopStrategy(): RestoreStrategy {
  return { name: "memcpy", reset: () => ({ pagesRestored: 0, grownBytesCleared: 0 }), writtenPages: () => null, writeClean() {}, dispose() {} };
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
    assert.throws(() => addon.rearmRanges(buf, new Uint32Array([0, 17])), argError);
    assert.throws(() => addon.rearmRanges(buf, new Uint32Array([2])), argError);
    assert.throws(() => addon.diffPages(buf, new Uint8Array(HOST_PAGE), new Uint32Array([5, 5])), argError);
    assert.throws(() => addon.diffPages(buf, new Uint8Array(100), new Uint32Array([0, 1])), argError);
    const src = new Uint8Array(2 * HOST_PAGE);
    new Uint8Array(buf)[3 * HOST_PAGE + 9] = 1; // page 3 (past src: compared with zeros) and page 1 differ
    new Uint8Array(buf)[HOST_PAGE] = 1;
    assert.deepEqual([...addon.diffPages(buf, src, new Uint32Array([0, 16]))], [1, 2, 3, 4]);
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
      // Pages in memory grown during this call count too. A page that was only read may be
      // reported as well (some kernels, 6.18 among them, back a read fault in grown memory with a
      // private zeroed page rather than the shared zero page): reporting more is safe, it only
      // copies a page of zeros. Missing a written page, or reporting one never touched, is not.
      memory.grow(1);
      const grown = new Uint8Array(memory.buffer);
      grown[(last + 3) * HOST_PAGE] = 1;
      assert.equal(grown[(last + 5) * HOST_PAGE], 0);
      const reported = sorted(strategy.writtenPages() ?? []);
      const extra = reported.filter((p) => ![...pages, last + 3].includes(p));
      assert.deepEqual(reported.filter((p) => [...pages, last + 3].includes(p)), [...pages, last + 3]);
      assert.ok(extra.every((p) => p === last + 5), `pages reported but never touched: ${extra.join(", ")}`);
      strategy.reset();
      // Clean again, but for hot pages (left writable by design, they always read as written).
      assert.deepEqual(sorted(strategy.writtenPages() ?? []), expectedWritten(strategy, []));
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
          assert.deepEqual(sorted(strategy.writtenPages() ?? []), expectedWritten(strategy, touched), `cycle ${cycle}`);
        }
        strategy.reset();
        if (cycle % 10 === 0 || cycle === 299) assert.equal(mismatch(memory, baseline), null, `cycle ${cycle}`);
      }
    });

    test("reset(overlay): overlay pages get the overlay's bytes, every other page the baseline's", (t: TestContext) => {
      if (!probe.ok) return t.skip(probe.reason);
      const { memory, baseline, strategy } = setup(16);
      const next = rng(8);
      const basePages = baseline.length / HOST_PAGE;
      // A checkpointed state: 300 scattered pages, plus 2 in memory grown later.
      const overlay = new Map<number, Uint8Array>();
      while (overlay.size < 300) {
        const page = Math.floor(next() * basePages);
        overlay.set(page, Uint8Array.from({ length: HOST_PAGE }, () => Math.floor(next() * 256)));
      }
      const expected = (length: number): Buffer => {
        const want = Buffer.alloc(length);
        want.set(baseline);
        for (const [page, bytes] of overlay) if ((page + 1) * HOST_PAGE <= length) want.set(bytes, page * HOST_PAGE);
        return want;
      };
      // Entering the state (StateCache.enter): its pages written as clean pages.
      const enter = (pages: number[]) => strategy.writeClean(Uint32Array.from(pages).sort(), (page) => overlay.get(page)!);
      const overlayPages = [...overlay.keys()];
      enter(overlayPages);
      for (let cycle = 0; cycle < 120; cycle++) {
        if (cycle === 40) {
          memory.grow(1);
          overlay.set(basePages + 3, new Uint8Array(HOST_PAGE).fill(7));
          overlay.set(basePages + 9, new Uint8Array(HOST_PAGE).fill(9));
          enter([basePages + 3, basePages + 9]);
        }
        scribble(memory, 1 + Math.floor(next() * 30), next);
        // Half the cycles write straight into overlay pages too.
        if (cycle % 2 === 0) {
          const view = new Uint8Array(memory.buffer);
          for (let i = 0; i < 10; i++) {
            const at = overlayPages[Math.floor(next() * overlayPages.length)]! * HOST_PAGE + 17;
            view[at] = view[at]! ^ 0x5a;
          }
        }
        strategy.reset(overlay);
        const now = Buffer.from(memory.buffer);
        assert.ok(now.equals(expected(now.length)), `cycle ${cycle}: memory is not baseline + overlay`);
      }
      // Leaving the state (StateCache.enter(null)): its pages get the baseline's bytes back as clean
      // pages; from then on a plain reset keeps memory at the baseline.
      const leaving = Uint32Array.from(overlay.keys()).sort();
      strategy.writeClean(leaving, (page) => (page < basePages ? baseline.subarray(page * HOST_PAGE, (page + 1) * HOST_PAGE) : new Uint8Array(HOST_PAGE)));
      scribble(memory, 20, next);
      strategy.reset();
      assert.equal(mismatch(memory, baseline), null, "after leaving the state: the baseline again");
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

describe("dirty strategy: hot pages (left writable, copied back at every reset)", () => {
  const probe = dirtyFactory.probe();
  const live: RestoreStrategy[] = [];
  after(() => live.forEach((s) => s.dispose()));
  const setup = (seed: number, options: Parameters<typeof createDirtyStrategy>[2]) => {
    const { memory, baseline } = patternedMemory(seed);
    const strategy = createDirtyStrategy(memory, baseline, { hot: true, ...options });
    live.push(strategy);
    return { memory, baseline, strategy };
  };
  /** Flips one byte in each page (XOR keeps it different from the baseline). */
  const touch = (memory: WebAssembly.Memory, pages: Iterable<number>, salt = 1) => {
    const view = new Uint8Array(memory.buffer);
    for (const p of pages) view[p * HOST_PAGE + ((p * 37 + salt) % HOST_PAGE)]! ^= 0x5a;
  };
  const HOT = [10, 11, 12, 500, 4000, 7679];

  test("pages written in promoteAfter consecutive calls become hot and stay writable", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(21, { promoteAfter: 2, auditEvery: 0 });
    touch(memory, [...HOT, 3000]);
    strategy.reset();
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), [], "one call is not enough");
    touch(memory, HOT);
    const stats = strategy.reset();
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), HOT);
    assert.equal(stats.hotPages, HOT.length);
    assert.equal(mismatch(memory, baseline), null);
    // Not write-protected any more: they read as written right after the reset.
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), HOT);
  });

  test("promoteWindow: writes a few calls apart count toward promotion, one-off writes never do", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const ONE_OFF = [3000, 3001, 3002];
    const run = (seed: number, promoteWindow: number) => {
      const { memory, baseline, strategy } = setup(seed, { promoteAfter: 2, promoteWindow, auditEvery: 0 });
      // HOT is written every third call, ONE_OFF once (a large call such as making a state).
      touch(memory, [...HOT, ...ONE_OFF]);
      strategy.reset();
      for (let call = 1; call < 9; call++) {
        if (call % 3 === 0) touch(memory, HOT, call);
        else touch(memory, [100 + call], call);
        strategy.reset();
        assert.equal(mismatch(memory, baseline), null, `call ${call}`);
      }
      return sorted(strategy.hotPages?.() ?? []);
    };
    assert.deepEqual(run(24, 1), [], "window 1: only consecutive writes count");
    assert.deepEqual(run(25, 3), HOT, "window 3: writes three calls apart count");
    assert.deepEqual(run(26, 64).filter((p) => ONE_OFF.includes(p)), [], "a page written once is never hot");
  });

  test("promoteWindow must be a whole number of resets", () => {
    const { memory, baseline } = patternedMemory(27);
    assert.throws(() => createDirtyStrategy(memory, baseline, { promoteWindow: 0 }), /promoteWindow/);
    assert.throws(() => createDirtyStrategy(memory, baseline, { promoteWindow: 1.5 }), /promoteWindow/);
  });

  test("a hot page written again is restored", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(22, { promoteAfter: 2, auditEvery: 0 });
    for (let i = 0; i < 2; i++) {
      touch(memory, HOT, i);
      strategy.reset();
    }
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), HOT);
    for (let i = 0; i < 5; i++) {
      const view = new Uint8Array(memory.buffer);
      for (const p of HOT) view.fill(i + 1, p * HOST_PAGE, (p + 1) * HOST_PAGE); // whole page
      touch(memory, [2000 + i]); // and a cold page
      assert.notEqual(mismatch(memory, baseline), null);
      const stats = strategy.reset();
      assert.equal(mismatch(memory, baseline), null, `call ${i}`);
      assert.equal(stats.pagesRestored, HOT.length + 1);
    }
  });

  test("hot pages NOT written by a call: memory still byte-identical, cold writes still tracked", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(23, { promoteAfter: 2, auditEvery: 0 });
    for (let i = 0; i < 2; i++) {
      touch(memory, HOT, i);
      strategy.reset();
    }
    strategy.reset(); // a call that wrote nothing at all
    assert.equal(mismatch(memory, baseline), null);
    const cold = [0, 1, 13, 499, 501, 3999, 7678];
    touch(memory, cold);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), sorted([...cold, ...HOT]));
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), HOT, "cold pages are protected again");
  });

  test("writtenPages() is a superset of the pages written (all hot pages included)", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(24, { promoteAfter: 3, auditEvery: 5 });
    const next = rng(8);
    for (let cycle = 0; cycle < 200; cycle++) {
      const touched = scribble(memory, 1 + Math.floor(next() * 10), next);
      const always = [100, 101, 102, 6000 + (cycle % 3)];
      touch(memory, always, cycle);
      for (const p of always) touched.add(p);
      const reported = new Set(strategy.writtenPages() ?? []);
      for (const p of touched) assert.ok(reported.has(p), `cycle ${cycle}: written page ${p} not reported`);
      assert.deepEqual(sorted(reported), expectedWritten(strategy, touched), `cycle ${cycle}`);
      strategy.reset();
      assert.equal(mismatch(memory, baseline), null, `cycle ${cycle}`);
    }
    const hot = new Set(strategy.hotPages?.() ?? []);
    for (const p of [100, 101, 102]) assert.ok(hot.has(p), `page ${p} written every call is hot`);
  });

  test("audit demotes hot pages a call left unchanged; they are tracked again", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(25, { promoteAfter: 2, auditEvery: 4 });
    touch(memory, HOT);
    strategy.reset(); // reset 1
    touch(memory, HOT);
    strategy.reset(); // reset 2: HOT promoted
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), HOT);
    const kept = HOT.slice(0, 3);
    touch(memory, kept);
    strategy.reset(); // 3
    touch(memory, kept);
    strategy.reset(); // 4: audit, only `kept` changed
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), kept);
    assert.equal(mismatch(memory, baseline), null);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), kept, "demoted pages are write-protected again");
    touch(memory, [HOT[4]!]);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), sorted([...kept, HOT[4]!]));
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
    // On probation: written by the call right after its demotion, a page is hot again at once.
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), sorted([...kept, HOT[4]!]));
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
  });

  test("a hot page a call writes back with the snapshot's bytes: after coming back from an audit, it is audited again only 2, then 4 audits later", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(30, { promoteAfter: 2, auditEvery: 4 });
    const SAME = [40, 41, 900];
    const GONE = 700;
    /** Writes each page and puts its byte back: written, but equal to the snapshot (what the audit cannot see). */
    const writeBack = () => {
      const view = new Uint8Array(memory.buffer);
      for (const p of SAME) {
        const at = p * HOST_PAGE + 9;
        const byte = view[at]!;
        view[at] = byte ^ 0xff;
        view[at] = byte;
      }
    };
    const hot = () => sorted(strategy.hotPages?.() ?? []);
    const hotAfterAudits: number[][] = [];
    for (let reset = 1; reset <= 32; reset++) {
      writeBack();
      if (reset <= 2) touch(memory, [GONE], reset); // written twice (promoted), then never again
      strategy.reset();
      assert.equal(mismatch(memory, baseline), null, `reset ${reset}`);
      if (reset === 2) assert.deepEqual(hot(), sorted([...SAME, GONE]));
      if (reset % 4 === 0) hotAfterAudits.push(hot());
    }
    // Audit 1 demotes them all; SAME comes back at once (exempt from audit 2); audit 3 demotes
    // SAME again, it comes back (exempt from audits 4-6); audit 7 demotes it again. GONE stays cold.
    assert.deepEqual(hotAfterAudits, [[], SAME, [], SAME, SAME, SAME, [], SAME]);
  });

  test("an audit protects its pages in at most 8 spans: hot pages in the gaps it closes stay hot, and are restored", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(31, { promoteAfter: 2, auditEvery: 4 });
    const demoted = Array.from({ length: 12 }, (_, i) => 100 + 10 * i); // 12 runs: 4 more than 8
    const kept = Array.from({ length: 11 }, (_, i) => 105 + 10 * i); // one hot page in each gap
    touch(memory, [...demoted, ...kept], 1);
    strategy.reset(); // 1
    touch(memory, [...demoted, ...kept], 2);
    strategy.reset(); // 2: all hot
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), sorted([...demoted, ...kept]));
    touch(memory, kept, 3);
    strategy.reset(); // 3
    touch(memory, kept, 4);
    strategy.reset(); // 4: audit; `demoted` unchanged
    assert.equal(mismatch(memory, baseline), null);
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), kept, "the unchanged pages are demoted, the changed ones stay hot");
    // Four gaps closed: their hot page is write-protected (clean) but still hot.
    const open = sorted(strategy.writtenPages() ?? []);
    assert.equal(open.length, kept.length - 4, `open after the audit: ${open}`);
    for (const p of open) assert.ok(kept.includes(p));
    // Written again, each is tracked, restored, and writable again without a promotion.
    touch(memory, kept, 5);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), kept);
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), kept);
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), kept);
  });

  test("maxHotPages bounds the hot set; pages over the cap stay tracked", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(26, { promoteAfter: 1, maxHotPages: 4, auditEvery: 0 });
    const pages = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    touch(memory, pages);
    strategy.reset();
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), [1, 2, 3, 4]);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), [1, 2, 3, 4]);
    touch(memory, pages, 2);
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
  });

  test("more than 8 spans to re-protect: the gaps with the fewest hot pages are closed, those pages protected again", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(28, { promoteAfter: 2, auditEvery: 0 });
    // A run of hot pages, and single hot pages between the cold pages written below.
    const run = [200, 201, 202, 203, 204, 205];
    const single = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const hot = [...single, ...run];
    for (let i = 0; i < 2; i++) {
      touch(memory, hot, i);
      strategy.reset();
    }
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), sorted(hot));
    // Cold pages on both sides of each hot one: 11 spans, 3 more than the bound. Every gap but
    // the one holding the run has a single hot page: three of those gaps are closed.
    const cold = [15, 25, 35, 45, 55, 65, 75, 85, 95, 150, 300];
    touch(memory, [...hot, ...cold], 7);
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
    const stillHot = sorted(strategy.hotPages?.() ?? []);
    const demoted = hot.filter((p) => !stillHot.includes(p));
    assert.equal(demoted.length, 3, `demoted ${demoted}`);
    for (const p of run) assert.ok(stillHot.includes(p), `page ${p} of the run stays hot`);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), stillHot, "demoted and cold pages are protected and clean");
    touch(memory, [demoted[0]!, 7000], 9);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), sorted([...stillHot, demoted[0]!, 7000]), "and their writes are tracked again");
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
    assert.ok(Array.from(strategy.hotPages?.() ?? []).includes(demoted[0]!), "on probation: written again, promoted at once");
  });

  test("openForWrite lifts the traps on at most 8 spans; markClean protects the same spans again, hot and gap pages included", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(29, { promoteAfter: 2, auditEvery: 0 });
    for (let i = 0; i < 2; i++) {
      touch(memory, [101], i);
      strategy.reset();
    }
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), [101]);
    // 12 runs of pages to write (a state being entered), one hot page between two of them.
    const pages = Uint32Array.of(100, 102, 104, 300, 302, 500, 900, 901, 1500, 1502, 3000, 6000);
    strategy.openForWrite(pages);
    // An unprotected page reads as written: every page to write is open, in at most 8 spans.
    const open = sorted(strategy.writtenPages() ?? []);
    for (const p of pages) assert.ok(open.includes(p), `page ${p} is still write-protected`);
    const spans = open.filter((p, i) => i === 0 || open[i - 1] !== p - 1).length;
    assert.ok(spans <= 8, `${spans} spans opened`);
    const state = new Map<number, Uint8Array>();
    const view = new Uint8Array(memory.buffer);
    for (const p of pages) {
      state.set(p, new Uint8Array(HOST_PAGE).fill(p & 0xff));
      view.set(state.get(p)!, p * HOST_PAGE);
    }
    strategy.markClean(pages);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), [], "written, gap and hot pages are all protected and clean");
    // Writes after that are tracked: a gap page, the hot page and a page of the state.
    touch(memory, [103, 101, 300], 3);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), [101, 103, 300]);
    strategy.reset(state);
    const want = Buffer.from(baseline);
    for (const [p, bytes] of state) want.set(bytes, p * HOST_PAGE);
    assert.ok(Buffer.from(memory.buffer).equals(want), "memory is the baseline plus the state's pages");
  });

  test("untrackedView: pages written through it are clean at once (hot pages stay hot), and a call's writes to them are put back", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    if (!loadNative().addon?.shareWithAlias) return t.skip("the addon was built without shareWithAlias");
    const { memory, baseline, strategy } = setup(31, { promoteAfter: 2, auditEvery: 0 });
    for (let i = 0; i < 2; i++) {
      touch(memory, [101], i);
      strategy.reset();
    }
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), [101]);
    const view = strategy.untrackedView();
    assert.ok(view, "the dirty strategy offers an untracked view");
    assert.equal(view.length, baseline.length);
    // A state being entered: a hot page, cold pages, one at the baseline's last page.
    const last = baseline.length / HOST_PAGE - 1;
    const state = new Map<number, Uint8Array>();
    for (const p of [100, 101, 102, 300, last]) {
      state.set(p, new Uint8Array(HOST_PAGE).fill((p * 7 + 1) & 0xff));
      view.set(state.get(p)!, p * HOST_PAGE);
    }
    const memoryPage = (p: number) => Buffer.from(memory.buffer, p * HOST_PAGE, HOST_PAGE);
    for (const [p, bytes] of state) assert.ok(memoryPage(p).equals(bytes), `page ${p} reads the state's bytes`);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), [101], "nothing but the hot page reads as written");
    // A call writes a cold page of the state, the hot page and a page outside the state: tracked.
    touch(memory, [100, 101, 200], 5);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), [100, 101, 200]);
    strategy.reset(state);
    const want = Buffer.from(baseline);
    for (const [p, bytes] of state) want.set(bytes, p * HOST_PAGE);
    assert.ok(Buffer.from(memory.buffer).equals(want), "memory is the baseline plus the state's pages");
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), [101]);
    // Leaving the state through the view: the baseline again, with nothing to restore.
    for (const p of state.keys()) view.set(baseline.subarray(p * HOST_PAGE, (p + 1) * HOST_PAGE), p * HOST_PAGE);
    assert.deepEqual(sorted(strategy.writtenPages() ?? []), [101]);
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
  });

  test("untrackedView: none with alias off, and memory grown past the baseline stays outside it", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const off = setup(37, { alias: false }).strategy;
    assert.equal(off.untrackedView(), undefined);
    assert.equal(off.detail(), "no untracked view (alias: false)");
    if (!loadNative().addon?.shareWithAlias) return t.skip("the addon was built without shareWithAlias");
    const { memory, baseline, strategy } = setup(37, {});
    assert.equal(strategy.detail(), "states entered through an untracked view");
    memory.grow(2);
    strategy.reset();
    assert.equal(strategy.untrackedView()?.length, baseline.length);
    // A write past the baseline is tracked and zeroed like before.
    touch(memory, [baseline.length / HOST_PAGE + 3], 1);
    assert.ok(sorted(strategy.writtenPages() ?? []).includes(baseline.length / HOST_PAGE + 3));
    strategy.reset();
    assert.equal(mismatch(memory, baseline), null);
  });

  test("fewSpans: runs of adjacent pages, the narrowest gaps closed down to the bound, pages past the limit left out", () => {
    assert.deepEqual([...fewSpans(Uint32Array.of(1, 2, 3, 10, 12, 50), 100, 8)], [1, 4, 10, 11, 12, 13, 50, 51]);
    assert.deepEqual([...fewSpans(Uint32Array.of(1, 2, 3, 10, 12, 50), 100, 2)], [1, 13, 50, 51]);
    assert.deepEqual([...fewSpans(Uint32Array.of(1, 2, 3, 10, 12, 50), 100, 1)], [1, 51]);
    assert.deepEqual([...fewSpans(Uint32Array.of(5, 5, 6, 99, 100, 140), 100, 8)], [5, 7, 99, 100]);
    assert.deepEqual([...fewSpans(new Uint32Array(0), 100, 8)], []);
  });

  test("hot pages in grown memory are zeroed at every reset", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(27, { promoteAfter: 2, auditEvery: 3 });
    const last = baseline.length / HOST_PAGE;
    memory.grow(2);
    strategy.reset(); // grown part released and tracked from now on
    const grown = [last, last + 1, last + 20];
    for (let i = 0; i < 6; i++) {
      touch(memory, [...grown, 5], i);
      if (i === 3) memory.grow(1); // grow again while pages are hot
      strategy.reset();
      assert.equal(mismatch(memory, baseline), null, `call ${i}`);
    }
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), [5, ...grown]);
  });

  test("hot pages off: every written page is protected again", (t: TestContext) => {
    if (!probe.ok) return t.skip(probe.reason);
    const { memory, baseline, strategy } = setup(28, { hot: false });
    for (let i = 0; i < 5; i++) {
      touch(memory, HOT, i);
      strategy.reset();
      assert.deepEqual(sorted(strategy.writtenPages() ?? []), []);
    }
    assert.deepEqual(sorted(strategy.hotPages?.() ?? []), []);
    assert.equal(mismatch(memory, baseline), null);
  });
});

/** Wraps WebAssembly.instantiate while Pyodide loads, to get at its memory and stack pointer. */
async function loadPyodideWithInstance() {
  const original = WebAssembly.instantiate;
  let instance: WebAssembly.Instance | undefined;
  const wrapped = async (...args: Parameters<typeof original>) => {
    const result = (await (original as (...a: unknown[]) => Promise<unknown>)(...args)) as
      | WebAssembly.WebAssemblyInstantiatedSource
      | WebAssembly.Instance;
    // The first instance with a memory: Node 24's Pyodide instantiates a small helper module first.
    const made = "instance" in result ? result.instance : result;
    if (!instance && made.exports["memory"] instanceof WebAssembly.Memory) instance = made;
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
  // With hot pages learnt (the default) and without: either way, every call starts fresh.
  for (const [label, calls, make] of [
    ["default options", 100, (m: WebAssembly.Memory, b: Uint8Array) => dirtyFactory.create(m, b)],
    ["no hot pages", 40, (m: WebAssembly.Memory, b: Uint8Array) => createDirtyStrategy(m, b, { hot: false })],
  ] as const) {
    test(`${calls} calls, each starting from a fresh interpreter (${label})`, async (t: TestContext) => {
      if (!probe.ok) return t.skip(probe.reason);
      const { pyodide, memory, stackPointer } = await loadPyodideWithInstance();
      pyodide.runPython("import json, re, collections");
      const baseline = new Uint8Array(memory.buffer.slice(0));
      const baseStackPointer = stackPointer.value as number;
      const strategy = make(memory, baseline);
      try {
        for (let i = 0; i < calls; i++) {
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
        if (label === "default options") assert.ok((strategy.hotPages?.() ?? []).length > 0, "the calls ran with a learned hot set");
        else assert.deepEqual(strategy.hotPages?.() ?? [], new Uint32Array(0));
      } finally {
        strategy.dispose();
      }
    });
  }
});
