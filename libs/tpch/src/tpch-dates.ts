/** Days since 1970-01-01 of a UTC calendar date. */
export function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** The dates of clause 4.2.2.12: orders from STARTDATE to ENDDATE − 151 days; CURRENTDATE splits past from future. */
export const START_DATE = epochDay(1992, 1, 1);
export const END_DATE = epochDay(1998, 12, 31);
export const CURRENT_DATE = epochDay(1995, 6, 17);

/** ISO text of every day a generated date can take, so writers format a date by lookup. */
const FIRST_TEXT_DAY = START_DATE;
const dateTexts: string[] = [];
for (let d = FIRST_TEXT_DAY; d <= END_DATE + 200; d++) {
  dateTexts.push(new Date(d * 86_400_000).toISOString().slice(0, 10));
}

export function dateText(day: number): string {
  return dateTexts[day - FIRST_TEXT_DAY] ?? new Date(day * 86_400_000).toISOString().slice(0, 10);
}
