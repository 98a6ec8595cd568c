// Reads the WIT that jco's `componentWit` prints for a component (wasm-tools' canonical printer):
// the world's imports, and the signatures of the functions it exports, with every named type
// resolved. Only the printer's grammar is needed (packages, worlds, interfaces, `use`, type
// definitions, functions); anything else is a parse error naming the line.
import { PRIMITIVES, type WitCase, type WitField, type WitFunction, type WitType } from "./wit-types.ts";

export interface WitWorld {
  /** Imported interfaces as printed: `wasi:cli/stdout@0.2.12`, or `foo` for a world-local one. */
  imports: string[];
  /** Functions the world imports directly (`import log: func(...)`): never provided by the host. */
  importedFunctions: string[];
  /** Exported functions whose types can cross the bridge. */
  functions: WitFunction[];
  /** Exported functions that cannot be tools, with the reason (e.g. a resource in the signature). */
  unsupported: { name: string; reason: string }[];
}

export class WitParseError extends Error {}

type Tok = { t: "id" | "p" | "ver"; v: string; line: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") i++;
    else if (src.startsWith("//", i)) {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === "\n") line++;
      i = stop;
    } else if (src.startsWith("->", i)) {
      out.push({ t: "p", v: "->", line });
      i += 2;
    } else if (c === "@" && out.length > 0 && out[out.length - 1]!.t === "id" && /[0-9]/.test(src[i + 1] ?? "")) {
      // A package version: `wasi:cli@0.2.12`; a trailing '.' belongs to a following `.{`.
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z.+-]/.test(src[j]!)) j++;
      if (src[j - 1] === "." && src[j] === "{") j--;
      out.push({ t: "ver", v: src.slice(i + 1, j), line });
      i = j;
    } else if (/[A-Za-z0-9%_-]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9%_-]/.test(src[j]!)) j++;
      out.push({ t: "id", v: src.slice(i, j).replace(/^%/, ""), line });
      i = j;
    } else if ("{}()<>,:;=./@*_".includes(c)) {
      out.push({ t: "p", v: c, line });
      i++;
    } else throw new WitParseError(`line ${line}: unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

// Unresolved type syntax, resolved once every definition is known.
type TypeRef =
  | { k: "name"; name: string }
  | { k: "list" | "option"; of: TypeRef }
  | { k: "result"; ok: TypeRef | null; err: TypeRef | null }
  | { k: "tuple"; of: TypeRef[] }
  | { k: "handle"; name: string };

type TypeDef =
  | { k: "record"; fields: { name: string; type: TypeRef }[] }
  | { k: "variant"; cases: { name: string; type: TypeRef | null }[] }
  | { k: "enum"; cases: string[] }
  | { k: "flags"; flags: string[] }
  | { k: "alias"; type: TypeRef }
  | { k: "resource" }
  | { k: "use"; from: string; name: string };

interface FuncDecl {
  name: string;
  params: { name: string; type: TypeRef }[];
  result: TypeRef | null;
}

interface Scope {
  /** Interface path this scope belongs to (null for a world). */
  key: string | null;
  /** Package of the scope, `ns:pkg@ver`, to resolve sibling interfaces in `use`. */
  pkg: string;
  types: Map<string, TypeDef>;
  funcs: FuncDecl[];
}

class Parser {
  private i = 0;
  readonly interfaces = new Map<string, Scope>();
  world: (Scope & { imports: string[]; importedFunctions: string[]; exportFuncs: FuncDecl[]; exportIfaces: string[] }) | null = null;

  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  private fail(msg: string): never {
    const t = this.peek();
    throw new WitParseError(`line ${t?.line ?? "end"}: ${msg}${t ? ` (at '${t.v}')` : ""}`);
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) this.fail("unexpected end of WIT");
    return t;
  }
  private eat(v: string): boolean {
    if (this.peek()?.v === v && this.peek()?.t !== "ver") {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(v: string): void {
    if (!this.eat(v)) this.fail(`expected '${v}'`);
  }
  private id(): string {
    const t = this.next();
    if (t.t !== "id") this.fail(`expected a name, got '${t.v}'`);
    return t.v;
  }
  /** `ns:pkg/iface@ver` or `ns:pkg@ver` or a bare name. */
  private path(): string {
    let s = this.id();
    if (this.eat(":")) s += `:${this.id()}`;
    while (this.eat("/")) s += `/${this.id()}`;
    if (this.peek()?.t === "ver") s += `@${this.next().v}`;
    return s;
  }
  /** `@since(version = 0.2.0)`, `@unstable(feature = x)`: feature gates, ignored. */
  private skipGates(): void {
    while (this.peek()?.v === "@" && this.peek(1)?.t === "id") {
      this.i += 2;
      if (this.eat("(")) {
        let depth = 1;
        while (depth > 0) {
          const t = this.next();
          if (t.v === "(") depth++;
          else if (t.v === ")") depth--;
        }
      }
    }
  }

  parseFile(): void {
    let pkg = "root:component";
    this.skipGates();
    if (this.eat("package")) {
      pkg = this.path();
      if (this.eat("{")) {
        this.items(pkg, "}");
        this.expect("}");
      } else this.expect(";");
    }
    this.items(pkg, null);
  }

  private items(pkg: string, end: string | null): void {
    for (;;) {
      this.skipGates();
      const t = this.peek();
      if (!t || (end !== null && t.v === end)) return;
      if (this.eat("package")) {
        const nested = this.path();
        this.expect("{");
        this.items(nested, "}");
        this.expect("}");
      } else if (this.eat("interface")) {
        const name = this.id();
        const scope: Scope = { key: interfaceKey(pkg, name), pkg, types: new Map(), funcs: [] };
        this.expect("{");
        this.interfaceBody(scope);
        this.expect("}");
        this.interfaces.set(scope.key!, scope);
        // A world of the same package may name it bare.
        if (pkg === "root:component") this.interfaces.set(name, scope);
      } else if (this.eat("world")) {
        this.id();
        this.expect("{");
        this.worldBody(pkg);
        this.expect("}");
      } else this.fail("expected 'interface', 'world' or 'package'");
    }
  }

  private interfaceBody(scope: Scope): void {
    for (;;) {
      this.skipGates();
      if (this.peek()?.v === "}") return;
      if (this.typeItem(scope)) continue;
      const name = this.id();
      this.expect(":");
      scope.funcs.push(this.funcSig(name));
      this.expect(";");
    }
  }

  private worldBody(pkg: string): void {
    const w = { key: null, pkg, types: new Map<string, TypeDef>(), funcs: [], imports: [] as string[], importedFunctions: [] as string[], exportFuncs: [] as FuncDecl[], exportIfaces: [] as string[] };
    this.world = w;
    for (;;) {
      this.skipGates();
      if (this.peek()?.v === "}") return;
      if (this.typeItem(w)) continue;
      const dir = this.id();
      if (dir === "include") {
        this.path();
        this.expect(";");
        continue;
      }
      if (dir !== "import" && dir !== "export") this.fail("expected 'import', 'export', 'use', 'include' or a type");
      if (this.peek(1)?.v === ":" && this.peek(2)?.t === "id" && (this.peek(2)?.v === "func" || this.peek(2)?.v === "async" || this.peek(2)?.v === "interface")) {
        const name = this.id();
        this.expect(":");
        if (this.eat("interface")) {
          // An inline interface: its functions are imported or exported under the world's name.
          const scope: Scope = { key: name, pkg, types: new Map(), funcs: [] };
          this.expect("{");
          this.interfaceBody(scope);
          this.expect("}");
          this.interfaces.set(name, scope);
          if (dir === "import") w.imports.push(name);
          else w.exportIfaces.push(name);
          this.eat(";");
          continue;
        }
        const f = this.funcSig(name);
        if (dir === "import") w.importedFunctions.push(name);
        else w.exportFuncs.push(f);
      } else {
        const p = this.path();
        if (dir === "import") w.imports.push(p);
        else w.exportIfaces.push(p);
      }
      this.expect(";");
    }
  }

  /** A `use` or a type definition; false if the next item is neither. */
  private typeItem(scope: Scope): boolean {
    const t = this.peek();
    if (!t || t.t !== "id") return false;
    switch (t.v) {
      case "use": {
        this.i++;
        const from = this.path();
        this.expect(".");
        this.expect("{");
        do {
          if (this.peek()?.v === "}") break;
          const name = this.id();
          const alias = this.eat("as") ? this.id() : name;
          scope.types.set(alias, { k: "use", from, name });
        } while (this.eat(","));
        this.expect("}");
        this.expect(";");
        return true;
      }
      case "record": {
        this.i++;
        const name = this.id();
        const fields: { name: string; type: TypeRef }[] = [];
        this.expect("{");
        while (!this.eat("}")) {
          const f = this.id();
          this.expect(":");
          fields.push({ name: f, type: this.typeRef() });
          if (!this.eat(",")) {
            this.expect("}");
            break;
          }
        }
        scope.types.set(name, { k: "record", fields });
        return true;
      }
      case "variant": {
        this.i++;
        const name = this.id();
        const cases: { name: string; type: TypeRef | null }[] = [];
        this.expect("{");
        while (!this.eat("}")) {
          const c = this.id();
          let type: TypeRef | null = null;
          if (this.eat("(")) {
            type = this.typeRef();
            this.expect(")");
          }
          cases.push({ name: c, type });
          if (!this.eat(",")) {
            this.expect("}");
            break;
          }
        }
        scope.types.set(name, { k: "variant", cases });
        return true;
      }
      case "enum":
      case "flags": {
        this.i++;
        const name = this.id();
        const names: string[] = [];
        this.expect("{");
        while (!this.eat("}")) {
          names.push(this.id());
          if (!this.eat(",")) {
            this.expect("}");
            break;
          }
        }
        scope.types.set(name, t.v === "enum" ? { k: "enum", cases: names } : { k: "flags", flags: names });
        return true;
      }
      case "type": {
        this.i++;
        const name = this.id();
        this.expect("=");
        scope.types.set(name, { k: "alias", type: this.typeRef() });
        this.expect(";");
        return true;
      }
      case "resource": {
        this.i++;
        const name = this.id();
        scope.types.set(name, { k: "resource" });
        if (this.eat("{")) {
          let depth = 1;
          while (depth > 0) {
            const x = this.next();
            if (x.v === "{") depth++;
            else if (x.v === "}") depth--;
          }
        } else this.expect(";");
        return true;
      }
      default:
        return false;
    }
  }

  private funcSig(name: string): FuncDecl {
    this.eat("async");
    if (this.id() !== "func") this.fail("expected 'func'");
    this.expect("(");
    const params: { name: string; type: TypeRef }[] = [];
    while (!this.eat(")")) {
      const p = this.id();
      this.expect(":");
      params.push({ name: p, type: this.typeRef() });
      if (!this.eat(",")) {
        this.expect(")");
        break;
      }
    }
    const result = this.eat("->") ? this.typeRef() : null;
    return { name, params, result };
  }

  private typeRef(): TypeRef {
    const name = this.id();
    switch (name) {
      case "list":
      case "option": {
        this.expect("<");
        const of = this.typeRef();
        // Fixed-size lists (`list<T, N>`) are lists on the JSON side too.
        if (name === "list" && this.eat(",")) this.id();
        this.expect(">");
        return { k: name, of };
      }
      case "result": {
        if (!this.eat("<")) return { k: "result", ok: null, err: null };
        const ok = this.eat("_") ? null : this.typeRef();
        const err = this.eat(",") ? this.typeRef() : null;
        this.expect(">");
        return { k: "result", ok, err };
      }
      case "tuple": {
        this.expect("<");
        const of: TypeRef[] = [];
        do of.push(this.typeRef());
        while (this.eat(","));
        this.expect(">");
        return { k: "tuple", of };
      }
      case "borrow":
      case "own":
      case "future":
      case "stream": {
        if (this.eat("<")) {
          const inner = this.id();
          this.expect(">");
          return { k: "handle", name: `${name}<${inner}>` };
        }
        return { k: "handle", name };
      }
      default:
        return { k: "name", name };
    }
  }
}

function interfaceKey(pkg: string, name: string): string {
  const at = pkg.indexOf("@");
  return at < 0 ? `${pkg}/${name}` : `${pkg.slice(0, at)}/${name}${pkg.slice(at)}`;
}

class Unsupported extends Error {}

/** Resolves type syntax to WitType; resources and handles throw Unsupported. */
class Resolver {
  constructor(private readonly p: Parser) {}

  private scopeOf(from: string, near: Scope): Scope | undefined {
    const direct = this.p.interfaces.get(from);
    if (direct) return direct;
    // `use types.{x}` inside package P names P's interface `types`.
    if (!from.includes(":")) return this.p.interfaces.get(interfaceKey(near.pkg, from));
    return undefined;
  }

  type(ref: TypeRef, scope: Scope, depth = 0): WitType {
    if (depth > 64) throw new Unsupported("type nesting is too deep (or recursive)");
    switch (ref.k) {
      case "list":
      case "option":
        return { kind: ref.k, of: this.type(ref.of, scope, depth + 1) };
      case "result":
        return {
          kind: "result",
          ok: ref.ok ? this.type(ref.ok, scope, depth + 1) : null,
          err: ref.err ? this.type(ref.err, scope, depth + 1) : null,
        };
      case "tuple":
        return { kind: "tuple", of: ref.of.map((r) => this.type(r, scope, depth + 1)) };
      case "handle":
        throw new Unsupported(`'${ref.name}' is a resource handle, which cannot cross the bridge as JSON`);
      case "name":
        if (PRIMITIVES.has(ref.name)) return { kind: ref.name as Extract<WitType, { kind: string }>["kind"] } as WitType;
        return this.named(ref.name, scope, depth + 1);
    }
  }

  private named(name: string, scope: Scope, depth: number): WitType {
    const def = scope.types.get(name);
    if (!def) throw new Unsupported(`type '${name}' is not defined in the component's WIT`);
    switch (def.k) {
      case "use": {
        const from = this.scopeOf(def.from, scope);
        if (!from) throw new Unsupported(`type '${name}' comes from '${def.from}', whose definition the component does not carry`);
        return this.named(def.name, from, depth + 1);
      }
      case "alias":
        return this.type(def.type, scope, depth + 1);
      case "resource":
        throw new Unsupported(`'${name}' is a resource, which cannot cross the bridge as JSON`);
      case "record":
        return {
          kind: "record",
          name,
          fields: def.fields.map((f): WitField => ({ name: f.name, type: this.type(f.type, scope, depth + 1) })),
        };
      case "variant":
        return {
          kind: "variant",
          name,
          cases: def.cases.map((c): WitCase => ({ name: c.name, type: c.type ? this.type(c.type, scope, depth + 1) : null })),
        };
      case "enum":
        return { kind: "enum", name, cases: [...def.cases] };
      case "flags":
        return { kind: "flags", name, flags: [...def.flags] };
    }
  }

  func(f: FuncDecl, scope: Scope, iface: string | null): WitFunction {
    return {
      name: f.name,
      interface: iface,
      params: f.params.map((p) => ({ name: p.name, type: this.type(p.type, scope) })),
      result: f.result ? this.type(f.result, scope) : null,
    };
  }
}

/** @throws WitParseError when the text is not WIT the printer produces. */
export function parseComponentWit(text: string): WitWorld {
  const p = new Parser(tokenize(text));
  p.parseFile();
  const w = p.world;
  if (!w) throw new WitParseError("no world in the component's WIT");
  const r = new Resolver(p);
  const functions: WitFunction[] = [];
  const unsupported: { name: string; reason: string }[] = [];
  const add = (f: FuncDecl, scope: Scope, iface: string | null) => {
    const shown = iface ? `${iface}#${f.name}` : f.name;
    try {
      functions.push(r.func(f, scope, iface));
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      unsupported.push({ name: shown, reason: e.message });
    }
  };
  for (const f of w.exportFuncs) add(f, w, null);
  for (const iface of w.exportIfaces) {
    const scope = p.interfaces.get(iface) ?? (iface.includes(":") ? undefined : p.interfaces.get(interfaceKey(w.pkg, iface)));
    if (!scope) {
      unsupported.push({ name: iface, reason: `exported interface '${iface}' is not described in the component's WIT` });
      continue;
    }
    for (const f of scope.funcs) add(f, scope, iface);
  }
  return { imports: w.imports, importedFunctions: w.importedFunctions, functions, unsupported };
}
