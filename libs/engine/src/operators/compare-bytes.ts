/** Compares two byte ranges lexicographically (UTF-8 bytes: code point order); shorter prefix first. */
export function compareBytes(
  a: Uint8Array,
  as: number,
  al: number,
  b: Uint8Array,
  bs: number,
  bl: number,
): number {
  const n = al < bl ? al : bl;
  for (let j = 0; j < n; j++) {
    const d = a[as + j] - b[bs + j];
    if (d !== 0) return d;
  }
  return al - bl;
}
