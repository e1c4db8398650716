import { describe, expect, it } from 'vitest';
import { inlineParameters, inlineWithOffsets, parameterCount, splitStatements } from './statement-text.ts';
import { parameterLiteral } from './parameter-literal.ts';

describe('statement text', () => {
  it('splits a simple query at semicolons outside strings, names and comments', () => {
    expect(splitStatements('select 1; select \';\' as "a;b" -- c;\n; /* ; */ select 3;')).toEqual([
      { sql: 'select 1', offset: 0 },
      { sql: 'select \';\' as "a;b" -- c;', offset: 10 },
      { sql: '/* ; */ select 3', offset: 38 },
    ]);
    expect(splitStatements('  ;  ')).toEqual([]);
  });

  it('inlines parameters as literals that cannot become SQL', () => {
    const sql = "select * from t where a = $1 and b = $2 and c = '$1' and d = $10";
    expect(parameterCount(sql)).toBe(10);
    const values = Array.from({ length: 10 }, (_, i) => parameterLiteral(Buffer.from(String(i + 1)), 0, 0));
    values[1] = parameterLiteral(Buffer.from("x' or '1'='1"), 0, 0);
    expect(inlineParameters(sql, values)).toBe(
      "select * from t where a = 1 and b = 'x'' or ''1''=''1' and c = '$1' and d = 10",
    );
    expect(() => inlineParameters('select $2', ['1'])).toThrow(/\$2/);
  });

  it('reads typed and binary parameters', () => {
    expect(parameterLiteral(null, 0, 23)).toBe('NULL');
    expect(parameterLiteral(Buffer.from('2020-01-02'), 0, 1082)).toBe("DATE '2020-01-02'");
    expect(() => parameterLiteral(Buffer.from('1; drop'), 0, 23)).toThrow(/not a number/);
    const int8 = Buffer.alloc(8);
    int8.writeBigInt64BE(-5n);
    expect(parameterLiteral(int8, 1, 20)).toBe('-5');
    const date = Buffer.alloc(4);
    date.writeInt32BE(1);
    expect(parameterLiteral(date, 1, 1082)).toBe("DATE '2000-01-02'");
    expect(parameterLiteral(Buffer.from('abc'), 0, 25)).toBe("'abc'");
  });

  it("maps positions in the inlined text back to the client's", () => {
    const sql = 'SELECT $1 + x FROM t WHERE $2 = yy';
    const text = inlineWithOffsets(sql, ["'long literal'", 'NULL']);
    expect(text.sql).toBe("SELECT 'long literal' + x FROM t WHERE NULL = yy");
    const at = (inlined: string, client: string) =>
      expect(text.clientPosition(text.sql.indexOf(inlined) + 1)).toBe(sql.indexOf(client) + 1);
    at('SELECT', 'SELECT');
    at('x FROM', 'x FROM');
    at('yy', 'yy');
    at('literal', '$1');
  });
});
