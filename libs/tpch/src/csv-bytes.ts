/**
 * Builds CSV text as ASCII bytes directly: numbers, dates and text are written digit by
 * digit into one growing buffer, several times faster than formatting strings and
 * encoding them afterwards (CSV is the format whose encoding dominates generation).
 */
export class CsvBytes {
  private bytes: Uint8Array;
  private length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(1024, capacity));
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(code: number): void {
    this.reserve(1);
    this.bytes[this.length++] = code;
  }

  /** A non-negative or negative integer. */
  integer(value: number): void {
    this.reserve(24);
    if (value < 0) {
      this.bytes[this.length++] = 45; // '-'
      value = -value;
    }
    if (value < 10) {
      this.bytes[this.length++] = 48 + value;
      return;
    }
    let digits = 0;
    for (let v = value; v >= 1; v = Math.floor(v / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    for (let v = value; v >= 1; v = Math.floor(v / 10)) this.bytes[--at] = 48 + (v % 10);
  }

  /** Hundredths as a decimal with two digits: 1700 → 17.00, -5 → -0.05. */
  cents(value: number): void {
    if (value < 0) {
      this.byte(45);
      value = -value;
    }
    const fraction = value % 100;
    this.integer((value - fraction) / 100);
    this.reserve(3);
    this.bytes[this.length++] = 46; // '.'
    this.bytes[this.length++] = 48 + Math.floor(fraction / 10);
    this.bytes[this.length++] = 48 + (fraction % 10);
  }

  /** ASCII text as is. */
  ascii(text: string): void {
    const n = text.length;
    this.reserve(n);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) bytes[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** A text field, quoted like the shared CSV files when it holds a comma, quote, line break or '#'. */
  field(text: string): void {
    const n = text.length;
    let quote = false;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 44 || c === 34 || c === 35 || c === 10 || c === 13) {
        quote = true;
        break;
      }
    }
    if (!quote) {
      this.ascii(text);
      return;
    }
    this.reserve(2 * n + 2);
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = 34;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) bytes[at++] = 34;
      bytes[at++] = c;
    }
    bytes[at++] = 34;
    this.length = at;
  }

  /** The bytes written, as a view of exactly that length. */
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
