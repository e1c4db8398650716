import { daysFromCivil } from '@tributary/common';

/** Strict `YYYY-MM-DD` text as days since epoch, without regular expressions or Date objects (hot path). */
export function parseIsoDate(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  let year = 0;
  for (let k = 0; k < 4; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return undefined;
    year = year * 10 + d;
  }
  const m1 = text.charCodeAt(5) - 48;
  const m2 = text.charCodeAt(6) - 48;
  const d1 = text.charCodeAt(8) - 48;
  const d2 = text.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
  return daysFromCivil(year, m1 * 10 + m2, d1 * 10 + d2);
}
