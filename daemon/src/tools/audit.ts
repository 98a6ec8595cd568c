// A short preview of a tool call's arguments for its host_calls record, without serialising
// them whole (Python may send megabytes): strings and containers are cut as they are walked.
const MAX_ITEMS = 8;

export function previewArgs(args: readonly unknown[], budget: number): string {
  const out = { text: "" };
  args.forEach((a, i) => {
    if (out.text.length > budget) return;
    if (i > 0) out.text += ",";
    preview(a, out, budget, 0);
  });
  return out.text;
}

function preview(v: unknown, out: { text: string }, budget: number, depth: number): void {
  if (out.text.length > budget) return;
  if (typeof v === "string") out.text += JSON.stringify(v.length > budget ? `${v.slice(0, budget)}…` : v);
  else if (Array.isArray(v)) {
    if (depth > 3) return void (out.text += `[…${v.length}]`);
    out.text += "[";
    v.slice(0, MAX_ITEMS).forEach((x, i) => {
      if (i > 0) out.text += ",";
      preview(x, out, budget, depth + 1);
    });
    out.text += v.length > MAX_ITEMS ? ",…]" : "]";
  } else if (typeof v === "object" && v !== null) {
    if (depth > 3) return void (out.text += "{…}");
    const entries = Object.entries(v);
    out.text += "{";
    entries.slice(0, MAX_ITEMS).forEach(([k, x], i) => {
      if (i > 0) out.text += ",";
      out.text += `${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)}:`;
      preview(x, out, budget, depth + 1);
    });
    out.text += entries.length > MAX_ITEMS ? ",…}" : "}";
  } else out.text += String(JSON.stringify(v));
}
