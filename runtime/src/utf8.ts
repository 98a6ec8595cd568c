// Cutting UTF-8 where the bytes are counted: a limit in bytes must never split a character.

/** Length of the longest prefix of `bytes` that does not end inside a multi-byte sequence. */
export function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  // Walk back over at most 3 continuation bytes to the lead byte of the last sequence.
  let i = n - 1;
  while (i >= 0 && i >= n - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i < 0 || i < n - 4) return n;
  const lead = bytes[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + need <= n ? n : i;
}

/** The longest prefix of `text` whose UTF-8 fits in `maxBytes`. */
export function cutUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const bytes = Buffer.from(text).subarray(0, Math.max(0, maxBytes));
  return bytes.toString("utf8", 0, completeUtf8Length(bytes));
}
