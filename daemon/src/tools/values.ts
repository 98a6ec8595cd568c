// JSON values ↔ WIT types. Python sends JSON-like values (dicts, lists, str, int, float, bool,
// None); the daemon checks them against the tool's signature (checkValue: a mismatch names the
// parameter and the path inside it), and the tool host turns them into what jco's bindings take
// (toJs) and the results back into JSON (fromJs).
//
// JSON forms: record ↔ object keyed by WIT field name; list/tuple ↔ array; option ↔ null or the
// value; result ↔ {"ok": v} / {"err": e} (a tool's top-level result is unwrapped: err raises);
// enum ↔ case name; flags ↔ array of flag names; variant ↔ "case" or {"case": payload};
// 64-bit integers ↔ numbers (within ±2^53; larger results come back as decimal strings).
import type { WitType } from "./wit-types.ts";

export class ValueTypeError extends Error {}

const INT_RANGES: Record<string, [number, number]> = {
  s8: [-128, 127],
  u8: [0, 255],
  s16: [-32768, 32767],
  u16: [0, 65535],
  s32: [-2147483648, 2147483647],
  u32: [0, 4294967295],
  s64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  u64: [0, Number.MAX_SAFE_INTEGER],
};

function describe(v: unknown): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return "list";
  switch (typeof v) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "object":
      return "dict";
    default:
      return typeof v;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Checks a JSON value against a WIT type. @throws ValueTypeError naming `where` (e.g. "items[2].qty"). */
export function checkValue(v: unknown, t: WitType, where: string): void {
  const bad = (expected: string): never => {
    throw new ValueTypeError(`${where}: expected ${expected}, got ${describe(v)}`);
  };
  switch (t.kind) {
    case "bool":
      if (typeof v !== "boolean") bad("bool");
      return;
    case "s8":
    case "u8":
    case "s16":
    case "u16":
    case "s32":
    case "u32":
    case "s64":
    case "u64": {
      const [lo, hi] = INT_RANGES[t.kind]!;
      if (typeof v !== "number" || !Number.isInteger(v)) bad(`int (${t.kind})`);
      if ((v as number) < lo || (v as number) > hi) {
        throw new ValueTypeError(`${where}: ${v} is out of range for ${t.kind} (${lo} to ${hi})`);
      }
      return;
    }
    case "f32":
    case "f64":
      if (typeof v !== "number") bad(`float (${t.kind})`);
      return;
    case "char":
      if (typeof v !== "string" || [...v].length !== 1) bad("a one-character str (char)");
      return;
    case "string":
      if (typeof v !== "string") bad("str");
      return;
    case "list":
      if (!Array.isArray(v)) bad(`list of ${t.of.kind}`);
      (v as unknown[]).forEach((x, i) => checkValue(x, t.of, `${where}[${i}]`));
      return;
    case "option":
      if (v !== null) checkValue(v, t.of, where);
      return;
    case "tuple":
      if (!Array.isArray(v) || v.length !== t.of.length) bad(`a list of ${t.of.length} items (tuple)`);
      t.of.forEach((x, i) => checkValue((v as unknown[])[i], x, `${where}[${i}]`));
      return;
    case "result": {
      if (!isPlainObject(v) || Object.keys(v).length !== 1 || !(own(v, "ok") || own(v, "err"))) bad('{"ok": value} or {"err": value} (result)');
      const o = v as Record<string, unknown>;
      const arm = own(o, "ok") ? t.ok : t.err;
      const key = own(o, "ok") ? "ok" : "err";
      if (arm) checkValue(o[key], arm, `${where}.${key}`);
      else if (o[key] !== null) throw new ValueTypeError(`${where}.${key}: expected None (the ${key} case has no value)`);
      return;
    }
    case "record": {
      if (!isPlainObject(v)) bad(`dict (record ${t.name})`);
      const o = v as Record<string, unknown>;
      const names = new Set(t.fields.map((f) => f.name));
      for (const k of Object.keys(o)) if (!names.has(k)) throw new ValueTypeError(`${where}: record ${t.name} has no field '${k}'`);
      for (const f of t.fields) {
        if (!own(o, f.name)) {
          if (f.type.kind === "option") continue; // absent option field: None
          throw new ValueTypeError(`${where}: missing field '${f.name}' of record ${t.name}`);
        }
        checkValue(o[f.name], f.type, `${where}.${f.name}`);
      }
      return;
    }
    case "enum":
      if (typeof v !== "string" || !t.cases.includes(v)) bad(`one of ${t.cases.map((c) => `'${c}'`).join(", ")} (enum ${t.name})`);
      return;
    case "flags":
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string" && t.flags.includes(x))) {
        bad(`a list of flags from ${t.flags.map((c) => `'${c}'`).join(", ")} (flags ${t.name})`);
      }
      return;
    case "variant": {
      const name = typeof v === "string" ? v : isPlainObject(v) && Object.keys(v).length === 1 ? Object.keys(v)[0]! : null;
      const c = t.cases.find((x) => x.name === name);
      if (!c) bad(`one of the cases ${t.cases.map((x) => `'${x.name}'`).join(", ")} (variant ${t.name})`);
      if (typeof v === "string") {
        if (c!.type) throw new ValueTypeError(`${where}: case '${name}' of variant ${t.name} carries a value: {"${name}": value}`);
      } else if (c!.type) checkValue((v as Record<string, unknown>)[name!], c!.type, `${where}.${name}`);
      return;
    }
  }
}

/** kebab-case to jco's camelCase (record fields, flags, function names). */
export function camel(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

const TYPED_ARRAYS: Partial<Record<string, { new (values: ArrayLike<number> & ArrayLike<bigint>): ArrayLike<unknown> }>> = {
  u8: Uint8Array as never,
  s8: Int8Array as never,
  u16: Uint16Array as never,
  s16: Int16Array as never,
  u32: Uint32Array as never,
  s32: Int32Array as never,
  f32: Float32Array as never,
  f64: Float64Array as never,
};

/** A checked JSON value as jco's bindings take it. */
export function toJs(v: unknown, t: WitType): unknown {
  switch (t.kind) {
    case "s64":
    case "u64":
      return BigInt(v as number);
    case "list": {
      const items = (v as unknown[]).map((x) => toJs(x, t.of));
      if (t.of.kind === "u64") return BigUint64Array.from(items as bigint[]);
      if (t.of.kind === "s64") return BigInt64Array.from(items as bigint[]);
      const Typed = TYPED_ARRAYS[t.of.kind];
      return Typed ? new Typed(items as never) : items;
    }
    case "option":
      if (v === null || v === undefined) return t.of.kind === "option" ? { tag: "none" } : undefined;
      return t.of.kind === "option" ? { tag: "some", val: toJs(v, t.of) } : toJs(v, t.of);
    case "tuple":
      return t.of.map((x, i) => toJs((v as unknown[])[i], x));
    case "result": {
      const o = v as Record<string, unknown>;
      return own(o, "ok")
        ? { tag: "ok", val: t.ok ? toJs(o.ok, t.ok) : undefined }
        : { tag: "err", val: t.err ? toJs(o.err, t.err) : undefined };
    }
    case "record": {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[camel(f.name)] = toJs(own(o, f.name) ? o[f.name] : null, f.type);
      return out;
    }
    case "flags": {
      const set = new Set(v as string[]);
      return Object.fromEntries(t.flags.map((f) => [camel(f), set.has(f)]));
    }
    case "variant": {
      if (typeof v === "string") return { tag: v };
      const [name, payload] = Object.entries(v as Record<string, unknown>)[0]!;
      const c = t.cases.find((x) => x.name === name)!;
      return { tag: name, val: c.type ? toJs(payload, c.type) : undefined };
    }
    default:
      return v;
  }
}

/** A value from jco's bindings as JSON. Anything unexpected is the tool's fault: a ValueTypeError. */
export function fromJs(v: unknown, t: WitType): unknown {
  switch (t.kind) {
    case "s64":
    case "u64": {
      const b = BigInt(v as bigint);
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b.toString();
    }
    case "f32":
    case "f64": {
      const n = v as number;
      // JSON has no NaN or infinities: they come back as strings Python's float() accepts.
      return Number.isFinite(n) ? n : String(n).replace("Infinity", "inf").toLowerCase();
    }
    case "list":
      return Array.from(v as ArrayLike<unknown>, (x) => fromJs(x, t.of));
    case "option":
      if (t.of.kind === "option") {
        const o = v as { tag: string; val?: unknown };
        return o.tag === "none" ? null : fromJs(o.val, t.of);
      }
      return v === undefined || v === null ? null : fromJs(v, t.of);
    case "tuple":
      return t.of.map((x, i) => fromJs((v as unknown[])[i], x));
    case "result": {
      const o = v as { tag: string; val?: unknown };
      if (o.tag === "ok") return { ok: t.ok ? fromJs(o.val, t.ok) : null };
      return { err: t.err ? fromJs(o.val, t.err) : null };
    }
    case "record": {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(t.fields.map((f) => [f.name, fromJs(o[camel(f.name)], f.type)]));
    }
    case "flags": {
      const o = v as Record<string, boolean>;
      return t.flags.filter((f) => o[camel(f)]);
    }
    case "variant": {
      const o = v as { tag: string; val?: unknown };
      const c = t.cases.find((x) => x.name === o.tag);
      if (!c) throw new ValueTypeError(`variant ${t.name} has no case '${o.tag}'`);
      return c.type ? { [c.name]: fromJs(o.val, c.type) } : c.name;
    }
    default:
      return v;
  }
}
