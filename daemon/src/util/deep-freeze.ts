/** Freezes a parsed value all the way down (RegExps, compiled policy patterns, stay usable). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !(value instanceof RegExp) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
