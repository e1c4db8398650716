import { describe, expect, it } from 'vitest';
import { printPlan } from '@tributary/plan';
import { bindFailure, bindPlan } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const bound = (sql: string) => bindPlan(sql, tpchCatalog, { context: ['tpch'] });

const bindError = (sql: string) => bindFailure(sql, tpchCatalog, { context: ['tpch'] });

describe("DuckDB's COLUMNS(…)", () => {
  it('repeats an expression per column selected, named after the column', () => {
    expect(
      bound("SELECT COLUMNS('name'), upper(COLUMNS('name')) FROM nation").schema.map((f) => f.name),
    ).toEqual(['n_name', 'n_name']);
    expect(bound('SELECT max(COLUMNS(*)) AS m FROM region').schema.map((f) => f.name)).toEqual([
      'm',
      'm',
      'm',
    ]);
    expect(printPlan(bound("SELECT COLUMNS('^r_') FROM region"))).toBe(
      printPlan(bound('SELECT * FROM region')),
    );
    expect(printPlan(bound("SELECT n_name FROM nation WHERE COLUMNS('key') < 3"))).toBe(
      printPlan(bound('SELECT n_name FROM nation WHERE n_nationkey < 3 AND n_regionkey < 3')),
    );
  });

  it('reads each column of a join exactly, even under a name both sides have', () => {
    const plan = bound('SELECT COLUMNS(b.*) FROM nation a JOIN nation b ON a.n_nationkey = b.n_regionkey');
    expect(printPlan(plan)).toBe(
      printPlan(
        bound(
          'SELECT b.n_nationkey, b.n_name, b.n_regionkey, b.n_comment FROM nation a JOIN nation b ON a.n_nationkey = b.n_regionkey',
        ),
      ),
    );
  });

  it('says what is wrong, and where', () => {
    expect(bindError("SELECT COLUMNS('zzz') FROM nation")).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      message: "COLUMNS('zzz') matches no column",
    });
    expect(bindError("SELECT COLUMNS('(') FROM nation")).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(bindError("SELECT COLUMNS('name') + COLUMNS('key') FROM nation")).toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
    });
    expect(bindError("SELECT n_name FROM nation\nORDER BY COLUMNS('key')")).toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
      message: 'COLUMNS(…) is supported in the select list and in WHERE only',
      line: 2,
      column: 10,
    });
  });
});
