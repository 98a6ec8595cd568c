import type { ParsedConfig } from "./schema.ts";
import type { ResolvedTenant } from "./tenants.ts";

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** The loaded, validated, deep-frozen config. Tenants carry key digests, never plain keys. */
export type ArborConfig = DeepReadonly<
  Omit<ParsedConfig, "tenants"> & {
    tenants: ResolvedTenant[];
    /** The config file that was loaded, or null for the embedded defaults. */
    config_file: string | null;
  }
>;
