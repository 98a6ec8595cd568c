// The five workloads every row runs, as Python source. Each generates its own input inside the
// cell (the same bytes in every row, no transport differences between rows) and prints a short
// answer that every row checks, so no row can be fast by failing.
export interface Workload {
  name: string;
  /** One line for the tables. */
  title: string;
  code: string;
  /** What stdout must be (the same in CPython 3.11 natively and 3.14 in Pyodide). */
  expect: string;
}

/** Iterations of the CPU loop: ≈50 ms in native CPython 3.11 on the project's 2-core VM. */
export const CPU_LOOP_ITERATIONS = 700_000;

export const WORKLOADS: Workload[] = [
  { name: "print", title: "`print(2+2)`", code: "print(2+2)", expect: "4\n" },
  {
    name: "json-100k",
    title: "JSON transform of a 100 KB document",
    code: [
      "import json",
      "doc = json.dumps({'items': [{'id': i, 'name': f'item-{i:05d}', 'price': i * 0.25, 'tags': ['red', 'green', 'blue'][: i % 3 + 1], 'active': i % 2 == 0} for i in range(1070)]})",
      "data = json.loads(doc)",
      "out = {'count': 0, 'total': 0.0, 'by_tag': {}}",
      "for it in data['items']:",
      "    if it['active']:",
      "        out['count'] += 1",
      "        out['total'] += it['price']",
      "        for t in it['tags']:",
      "            out['by_tag'][t] = out['by_tag'].get(t, 0) + 1",
      "res = json.dumps(out, sort_keys=True)",
      "print(len(doc) // 1000, out['count'], out['by_tag']['red'])",
    ].join("\n"),
    expect: "99 535 535\n",
  },
  {
    name: "regex-1m",
    title: "regex over 1 MB of text",
    code: [
      "import re",
      "text = ('The quick brown fox <fox.jumps@example.com> leaps over 1234 lazy dogs near 10.0.0.1; ' * 12400)[: 1 << 20]",
      "emails = re.findall(r'[\\w.+-]+@[\\w-]+\\.[\\w.]+', text)",
      "nums = re.findall(r'\\b\\d+\\b', text)",
      "print(len(text), len(emails), len(nums))",
    ].join("\n"),
    expect: "1048576 12336 61680\n",
  },
  {
    name: "sqlite",
    title: "sqlite query (in-memory table, 2,000 rows, GROUP BY)",
    code: [
      "import sqlite3",
      "con = sqlite3.connect(':memory:')",
      "con.execute('create table t (id integer primary key, grp integer, val real)')",
      "con.executemany('insert into t (grp, val) values (?, ?)', ((i % 10, i * 0.5) for i in range(2000)))",
      "rows = con.execute('select grp, count(*), sum(val) from t group by grp order by grp').fetchall()",
      "con.close()",
      "print(len(rows), rows[0][1], rows[9][2])",
    ].join("\n"),
    expect: "10 200 100400.0\n",
  },
  {
    name: "cpu-50ms",
    title: `CPU-bound loop (${CPU_LOOP_ITERATIONS.toLocaleString("en")} iterations ≈ 50 ms in native CPython)`,
    code: [`total = 0`, `for i in range(${CPU_LOOP_ITERATIONS}):`, `    total += i % 7`, `print(total)`].join("\n"),
    expect: "2100000\n",
  },
];

export function workloadsNamed(names: string[] | undefined): Workload[] {
  if (!names) return WORKLOADS;
  const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknown.length) throw new Error(`unknown workload(s) ${unknown.join(", ")}; known: ${WORKLOADS.map((w) => w.name).join(", ")}`);
  return WORKLOADS.filter((w) => names.includes(w.name));
}

/** Throws unless `stdout` is the workload's answer: a row that fails is not a fast row. */
export function checkOutput(w: Workload, stdout: string, where: string): void {
  if (stdout !== w.expect) throw new Error(`${where} ${w.name}: expected stdout ${JSON.stringify(w.expect)}, got ${JSON.stringify(stdout.slice(0, 300))}`);
}
