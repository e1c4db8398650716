/** Reads the fields of one frontend message (after its type byte and length). */
export class FrontendReader {
  private at: number;

  constructor(
    private readonly bytes: Buffer,
    start = 5,
  ) {
    this.at = start;
  }

  int16(): number {
    const v = this.bytes.readInt16BE(this.at);
    this.at += 2;
    return v;
  }

  int32(): number {
    const v = this.bytes.readInt32BE(this.at);
    this.at += 4;
    return v;
  }

  byte(): string {
    return String.fromCharCode(this.bytes[this.at++]);
  }

  cstring(): string {
    const end = this.bytes.indexOf(0, this.at);
    if (end < 0) throw new Error('a string of the message is not terminated');
    const text = this.bytes.toString('utf8', this.at, end);
    this.at = end + 1;
    return text;
  }

  /** A length-prefixed value; length -1 is NULL. */
  value(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const v = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return v;
  }
}
