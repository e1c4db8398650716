import { describe, expect, it } from 'vitest';
import { sqliteScannerType } from './sqlite-scanner-type.ts';
import { tributaryTypeName } from './tributary-type-name.ts';

describe('tributaryTypeName', () => {
  it('maps DuckDB types to the Tributary names they must come out as', () => {
    expect(tributaryTypeName('BIGINT')).toBe('BIGINT');
    expect(tributaryTypeName('HUGEINT')).toBe('HUGEINT');
    expect(tributaryTypeName('SMALLINT')).toBe('SMALLINT');
    expect(tributaryTypeName('FLOAT')).toBe('FLOAT');
    expect(tributaryTypeName('DECIMAL(38, 2)')).toBe('DECIMAL(38,2)');
    expect(tributaryTypeName('TIMESTAMP_NS')).toBe('TIMESTAMP');
    expect(tributaryTypeName('INTERVAL')).toBe('INTERVAL');
    expect(tributaryTypeName('UBIGINT')).toBe('UBIGINT');
  });
});

describe('sqliteScannerType', () => {
  it("types declared SQLite columns as DuckDB's sqlite scanner does", () => {
    expect(
      ['INTEGER', 'BIGINT', 'int8', 'TEXT', 'VARCHAR(10)', 'REAL', 'DOUBLE', 'BLOB', ''].map(
        sqliteScannerType,
      ),
    ).toEqual(['BIGINT', 'BIGINT', 'BIGINT', 'VARCHAR', 'VARCHAR', 'DOUBLE', 'DOUBLE', 'BLOB', 'BLOB']);
    expect(
      ['DATE', 'DATETIME', 'TIMESTAMP', 'DECIMAL(15,2)', 'NUMERIC', 'BOOLEAN'].map(sqliteScannerType),
    ).toEqual(['DATE', 'TIMESTAMP', 'TIMESTAMP', 'DOUBLE', 'DOUBLE', 'VARCHAR']);
  });
});
