// The realistic workload corpus: small Python programs shaped like RL reward checks and agent tool
// calls (a function or a small class, then asserts on it), one file per program under
// bench/workloads/<category>/<name>.py. Each file also describes a realistic bug in its header;
// applying it gives the broken variant, which must fail. See bench/workloads/README.md.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type Verdict = "pass" | "fail";

export interface CorpusEntry {
  /** "<category>/<program>" for the correct variant, "<category>/<program>:broken" for the bug. */
  name: string;
  category: string;
  /** "<category>/<program>", shared by both variants. */
  program: string;
  variant: "correct" | "broken";
  code: string;
  /** "pass": runs to the end (exit 0, status "ok"); "fail": raises (non-zero exit, status "error"). */
  expect: Verdict;
  /** What the bug is (both variants carry it). */
  bug: string;
  /** Native CPython time of the correct program, ms (native-ms.json; undefined until measured). */
  native_ms: number | undefined;
}

export interface Replacement {
  from: string;
  to: string;
}

export interface Program {
  program: string;
  category: string;
  title: string;
  bug: string;
  replacements: Replacement[];
  correct: string;
  broken: string;
}

export const CORPUS_DIR = fileURLToPath(new URL(".", import.meta.url));
const NATIVE_MS_FILE = join(CORPUS_DIR, "native-ms.json");

/** A JSON string literal at the start of `s`, and the rest after it. */
function jsonString(s: string, where: string): [string, string] {
  const m = /^"(?:[^"\\]|\\.)*"/.exec(s);
  if (!m) throw new Error(`${where}: expected a JSON string in ${JSON.stringify(s)}`);
  return [JSON.parse(m[0]) as string, s.slice(m[0].length)];
}

/** `# break: "old" -> "new"` → { from, to }. */
function parseBreak(line: string, where: string): Replacement {
  const [from, rest] = jsonString(line.slice("# break:".length).trimStart(), where);
  if (!rest.startsWith(" -> ")) throw new Error(`${where}: expected ' -> ' after the first string`);
  const [to, tail] = jsonString(rest.slice(4), where);
  if (tail.trim()) throw new Error(`${where}: trailing text ${JSON.stringify(tail)}`);
  return { from, to };
}

function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}

/**
 * Parses one program file. The header (leading `#` lines) holds a title line, `# bug: ...` and one
 * or more `# break: "old" -> "new"`; the bug and break lines are not part of the code that runs
 * (otherwise `old` would match itself). Each `old` must occur exactly once in the code.
 */
export function parseProgram(source: string, program: string): Program {
  const category = program.split("/")[0]!;
  const lines = source.split("\n");
  let bug = "";
  const replacements: Replacement[] = [];
  const kept: string[] = [];
  let inHeader = true;
  for (const line of lines) {
    if (inHeader && !line.startsWith("#")) inHeader = false;
    if (inHeader && line.startsWith("# bug:")) bug = line.slice("# bug:".length).trim();
    else if (inHeader && line.startsWith("# break:")) replacements.push(parseBreak(line, program));
    else kept.push(line);
  }
  const title = (kept[0] ?? "").replace(/^#\s*/, "");
  if (!title || !kept[0]?.startsWith("#")) throw new Error(`${program}: the first line must be a '# title' comment`);
  if (!bug) throw new Error(`${program}: no '# bug:' line`);
  if (!replacements.length) throw new Error(`${program}: no '# break:' line`);
  const correct = kept.join("\n");
  let broken = correct;
  for (const r of replacements) {
    const n = occurrences(broken, r.from);
    if (n !== 1) throw new Error(`${program}: break text ${JSON.stringify(r.from)} occurs ${n} times (must be once)`);
    broken = broken.replace(r.from, () => r.to);
  }
  if (broken === correct) throw new Error(`${program}: the break changes nothing`);
  return { program, category, title, bug, replacements, correct, broken };
}

/** Every program file as [program name, path], sorted by category then name. */
export function programFiles(dir: string = CORPUS_DIR): Array<[program: string, path: string]> {
  const out: Array<[string, string]> = [];
  const categories = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const category of categories) {
    const files = readdirSync(join(dir, category))
      .filter((f) => f.endsWith(".py"))
      .sort();
    for (const f of files) out.push([`${category}/${f.slice(0, -3)}`, join(dir, category, f)]);
  }
  return out;
}

/** Every program, sorted by category then name; throws on the first malformed file. */
export function loadPrograms(dir: string = CORPUS_DIR): Program[] {
  return programFiles(dir).map(([program, path]) => parseProgram(readFileSync(path, "utf8"), program));
}

/** Native CPython ms per program, from native-ms.json (written by measure-native.ts). */
export function loadNativeMs(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(NATIVE_MS_FILE, "utf8")).programs as Record<string, number>;
  } catch {
    return {};
  }
}

/** Both variants of every program: the correct one (expect "pass") and the broken one ("fail"). */
export function loadCorpus(dir: string = CORPUS_DIR): CorpusEntry[] {
  const native = loadNativeMs();
  return loadPrograms(dir).flatMap((p) => {
    const common = { category: p.category, program: p.program, bug: p.bug, native_ms: native[p.program] };
    return [
      { ...common, name: p.program, variant: "correct" as const, code: p.correct, expect: "pass" as const },
      { ...common, name: `${p.program}:broken`, variant: "broken" as const, code: p.broken, expect: "fail" as const },
    ];
  });
}
