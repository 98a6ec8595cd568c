// The WIT types a tool's signature may use, as the registry records them. Resources (handles)
// cannot cross the bridge as JSON, so a signature that mentions one is refused at boot.

export type WitPrimitive =
  | "bool"
  | "s8"
  | "u8"
  | "s16"
  | "u16"
  | "s32"
  | "u32"
  | "s64"
  | "u64"
  | "f32"
  | "f64"
  | "char"
  | "string";

export type WitType =
  | { kind: WitPrimitive }
  | { kind: "list"; of: WitType }
  | { kind: "option"; of: WitType }
  | { kind: "result"; ok: WitType | null; err: WitType | null }
  | { kind: "tuple"; of: WitType[] }
  | { kind: "record"; name: string; fields: WitField[] }
  | { kind: "variant"; name: string; cases: WitCase[] }
  | { kind: "enum"; name: string; cases: string[] }
  | { kind: "flags"; name: string; flags: string[] };

export interface WitField {
  name: string;
  type: WitType;
}

export interface WitCase {
  name: string;
  type: WitType | null;
}

export interface WitParam {
  name: string;
  type: WitType;
}

export interface WitFunction {
  /** The function's WIT name (kebab-case). */
  name: string;
  /** The exported interface it belongs to, or null for a function the world exports itself. */
  interface: string | null;
  params: WitParam[];
  result: WitType | null;
}

export const PRIMITIVES: ReadonlySet<string> = new Set<WitPrimitive>([
  "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
]);

/** `list<record point>` style text for signatures shown to users (host.tools(), /v1/tools). */
export function typeText(t: WitType): string {
  switch (t.kind) {
    case "list":
      return `list<${typeText(t.of)}>`;
    case "option":
      return `option<${typeText(t.of)}>`;
    case "result":
      if (!t.ok && !t.err) return "result";
      return `result<${t.ok ? typeText(t.ok) : "_"}${t.err ? `, ${typeText(t.err)}` : ""}>`;
    case "tuple":
      return `tuple<${t.of.map(typeText).join(", ")}>`;
    case "record":
    case "variant":
    case "enum":
    case "flags":
      return t.name;
    default:
      return t.kind;
  }
}

/** `name(a: string, b: list<item>) -> summary` */
export function signatureText(f: WitFunction): string {
  const params = f.params.map((p) => `${p.name}: ${typeText(p.type)}`).join(", ");
  return `${f.name}(${params})${f.result ? ` -> ${typeText(f.result)}` : ""}`;
}

/** The named types a signature uses, with their definitions, for documentation of a tool. */
export function namedTypes(f: WitFunction): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (t: WitType): void => {
    switch (t.kind) {
      case "list":
      case "option":
        return visit(t.of);
      case "result":
        if (t.ok) visit(t.ok);
        if (t.err) visit(t.err);
        return;
      case "tuple":
        return t.of.forEach(visit);
      case "record":
        if (out[t.name]) return;
        out[t.name] = `record { ${t.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join(", ")} }`;
        return t.fields.forEach((f) => visit(f.type));
      case "variant":
        if (out[t.name]) return;
        out[t.name] = `variant { ${t.cases.map((c) => (c.type ? `${c.name}(${typeText(c.type)})` : c.name)).join(", ")} }`;
        return t.cases.forEach((c) => c.type && visit(c.type));
      case "enum":
        out[t.name] = `enum { ${t.cases.join(", ")} }`;
        return;
      case "flags":
        out[t.name] = `flags { ${t.flags.join(", ")} }`;
        return;
      default:
        return;
    }
  };
  for (const p of f.params) visit(p.type);
  if (f.result) visit(f.result);
  return out;
}
