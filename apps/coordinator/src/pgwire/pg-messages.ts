import type { PgType } from './pg-types.ts';

/** One backend message: its type byte, then its length (itself included) and body. */
function message(code: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(code, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const cstring = (text: string) => Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export interface DescribedColumn {
  readonly name: string;
  readonly type: PgType;
  /** 0 text, 1 binary. */
  readonly format: number;
}

/** The backend messages Tributary sends, built as the protocol (v3) lays them out. */
export const pgMessages = {
  rowDescription(columns: readonly DescribedColumn[]): Buffer {
    const parts: Buffer[] = [int16(columns.length)];
    for (const c of columns) {
      const fixed = Buffer.alloc(18);
      fixed.writeInt32BE(0, 0); // table OID: not a column of a Postgres table
      fixed.writeInt16BE(0, 4);
      fixed.writeInt32BE(c.type.oid, 6);
      fixed.writeInt16BE(c.type.size, 10);
      fixed.writeInt32BE(c.type.modifier, 12);
      fixed.writeInt16BE(c.format, 16);
      parts.push(cstring(c.name), fixed);
    }
    return message('T', Buffer.concat(parts));
  },

  /** A row's fields, null as length -1. */
  dataRow(fields: readonly (Buffer | null)[]): Buffer {
    let size = 2;
    for (const f of fields) size += 4 + (f ? f.length : 0);
    const out = Buffer.alloc(5 + size);
    out.write('D', 0, 'latin1');
    out.writeInt32BE(4 + size, 1);
    out.writeInt16BE(fields.length, 5);
    let at = 7;
    for (const f of fields) {
      if (f === null) {
        out.writeInt32BE(-1, at);
        at += 4;
      } else {
        out.writeInt32BE(f.length, at);
        f.copy(out, at + 4);
        at += 4 + f.length;
      }
    }
    return out;
  },

  commandComplete: (tag: string) => message('C', cstring(tag)),
  emptyQuery: () => message('I'),
  parseComplete: () => message('1'),
  bindComplete: () => message('2'),
  closeComplete: () => message('3'),
  noData: () => message('n'),
  portalSuspended: () => message('s'),
  parameterDescription: (oids: readonly number[]) =>
    message('t', Buffer.concat([int16(oids.length), ...oids.map(int32)])),
  parameterStatus: (name: string, value: string) =>
    message('S', Buffer.concat([cstring(name), cstring(value)])),
  backendKeyData: (pid: number, secret: number) => message('K', Buffer.concat([int32(pid), int32(secret)])),
  readyForQuery: (status: 'I' | 'T' | 'E') => message('Z', Buffer.from(status, 'latin1')),

  /** ErrorResponse (or NoticeResponse with severity NOTICE): fields by their one-letter codes. */
  error(fields: {
    severity: 'ERROR' | 'FATAL' | 'NOTICE';
    code: string;
    message: string;
    detail?: string;
    hint?: string;
    position?: number;
  }): Buffer {
    const parts = [
      Buffer.from('S'),
      cstring(fields.severity),
      Buffer.from('V'),
      cstring(fields.severity),
      Buffer.from('C'),
      cstring(fields.code),
      Buffer.from('M'),
      cstring(fields.message),
    ];
    if (fields.detail) parts.push(Buffer.from('D'), cstring(fields.detail));
    if (fields.hint) parts.push(Buffer.from('H'), cstring(fields.hint));
    if (fields.position !== undefined) parts.push(Buffer.from('P'), cstring(String(fields.position)));
    parts.push(Buffer.from([0]));
    return message(fields.severity === 'NOTICE' ? 'N' : 'E', Buffer.concat(parts));
  },
};
