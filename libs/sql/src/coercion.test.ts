import { typeToString } from '@tributary/common';
import { DuckDbOracle, tributaryTypeName } from '@tributary/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindQuery } from './bind-sql.ts';
import { tpchCatalog, tpchTables } from '../testing/tpch-catalog.ts';
import { TPCH_QUERIES } from '../testing/tpch-queries.ts';

/** Output types of a query as DuckDB types them, in Tributary's names (tributaryTypeName). */
async function duckTypes(oracle: DuckDbOracle, sql: string): Promise<string[]> {
  return (await oracle.describe(sql)).map((c) => tributaryTypeName(c.duckdbType));
}

function ourTypes(sql: string): string[] {
  return bindQuery(sql, tpchCatalog, { context: ['tpch'] }).schema.map((f) => typeToString(f.type));
}

function ourNames(sql: string): string[] {
  return bindQuery(sql, tpchCatalog, { context: ['tpch'] }).schema.map((f) => f.name);
}

const EXPRESSIONS = [
  '1',
  '3000000000',
  '1.50',
  '0.06',
  '1e3',
  "'x'",
  'true',
  'l_quantity',
  'l_linenumber',
  'l_orderkey',
  'l_shipdate',
  '1 - l_discount',
  'l_extendedprice * l_discount',
  'l_extendedprice * (1 - l_discount)',
  'l_extendedprice * (1 - l_discount) * (1 + l_tax)',
  'l_quantity * l_linenumber',
  'l_quantity + l_linenumber',
  'l_quantity + l_orderkey',
  'l_quantity * l_orderkey',
  'l_quantity / l_discount',
  'l_linenumber / 2',
  'l_quantity + 1.5',
  'l_quantity * 2 - 1.5',
  'l_extendedprice * l_discount + l_tax',
  'l_quantity * l_orderkey + 1',
  'l_linenumber * l_linenumber',
  'l_orderkey * l_linenumber',
  'l_linenumber % l_orderkey',
  'l_quantity % l_discount',
  'l_quantity % l_linenumber',
  '0.06 - 0.01',
  '1.5 * 2',
  '1.5 * 3000000000',
  'l_shipdate - l_commitdate',
  'l_shipdate + 1',
  'l_shipdate - 7',
  '-l_quantity',
  '-l_linenumber',
  'abs(l_quantity)',
  'floor(l_quantity)',
  'ceil(l_quantity)',
  'round(l_quantity, 1)',
  'round(l_quantity)',
  'round(1.2345, 2)',
  'sqrt(l_linenumber)',
  'power(l_linenumber, 2)',
  'ln(l_quantity)',
  'exp(1)',
  'length(l_comment)',
  "strpos(l_comment, 'a')",
  'lower(l_comment)',
  'upper(l_comment)',
  'substring(l_comment, 1, 3)',
  'substr(l_comment, 2)',
  'trim(l_comment)',
  "replace(l_comment, 'a', 'b')",
  "l_comment || 'x'",
  "concat(l_comment, 'x', 1)",
  "starts_with(l_comment, 'a')",
  "contains(l_comment, 'a')",
  'coalesce(l_quantity, l_linenumber)',
  'coalesce(l_quantity, 1.5)',
  'nullif(l_quantity, 1)',
  'extract(year from l_shipdate)',
  'extract(month from l_shipdate)',
  'case when l_quantity > 1 then l_quantity else 1.5 end',
  "case l_linenumber when 1 then 'a' else 'b' end",
  'cast(l_quantity as double)',
  'cast(l_quantity as decimal(10,1))',
  'l_quantity::integer',
  "cast('1998-01-01' as date)",
  "l_shipdate <= '1998-09-02'",
  'l_quantity between 1 and 24',
  "l_shipmode in ('MAIL', 'SHIP')",
  "l_comment like '%a%'",
  'l_tax is null',
  'not (l_quantity > 1)',
  'l_quantity > 1 and l_tax < 0.5',
  'l_linenumber = l_orderkey',
  'l_quantity = 1.5',
  // Times of day and zoned timestamps.
  "TIME '10:00'",
  "l_shipdate + TIME '10:00'",
  "TIME '10:00' + INTERVAL 1 HOUR",
  "extract(hour from TIME '10:00')",
  "epoch(TIME '10:00')",
  'make_time(1, 2, 3.5)',
  "cast(l_shipdate + TIME '10:00' as time)",
  "cast('10:00' as time) < TIME '11:00'",
  'cast(l_shipdate as timestamptz)',
  "date_trunc('month', cast(l_shipdate as timestamptz))",
  'cast(l_shipdate as timestamptz) + INTERVAL 1 DAY',
  "coalesce(cast(l_shipdate as timestamptz), TIMESTAMP '2020-01-01')",
  'to_timestamp(l_orderkey)',
  'now()',
];

/** TINYINT, SMALLINT and FLOAT, as columns (casts of one) and literals meet them. */
const NARROW_EXPRESSIONS = [
  'l_linenumber::tinyint',
  'l_linenumber::smallint',
  'l_quantity::float',
  'cast(l_linenumber as int2)',
  'cast(l_linenumber as int1)',
  'cast(l_quantity as real)',
  'cast(l_quantity as float4)',
  'cast(l_quantity as float8)',
  'l_linenumber::tinyint + 1',
  'l_linenumber::tinyint + 1000',
  'l_linenumber::tinyint + 100000',
  'l_linenumber::tinyint + l_linenumber::smallint',
  'l_linenumber::tinyint + l_linenumber',
  'l_linenumber::smallint * l_orderkey',
  'l_linenumber::smallint + 1.5',
  'l_linenumber::tinyint + 1.5',
  'l_linenumber::smallint / 2',
  'l_linenumber::smallint % 7',
  '-l_linenumber::tinyint',
  'l_quantity::float + 1',
  'l_quantity::float * l_quantity',
  'l_quantity::float + l_orderkey',
  'l_quantity::float + 1e0',
  '1e3 + 12.5e1',
  'l_quantity::float / 3',
  '1 / l_quantity::float',
  'abs(l_linenumber::tinyint)',
  'round(l_quantity::float, 1)',
  'round(l_linenumber::smallint)',
  'ceil(l_quantity::float)',
  'floor(l_quantity::float)',
  'sign(l_linenumber::smallint)',
  'sign(l_quantity::float)',
  'sqrt(l_quantity::float)',
  'power(l_linenumber::tinyint, 2)',
  'coalesce(l_linenumber::tinyint, 1000)',
  'coalesce(l_linenumber::tinyint, 5)',
  'greatest(l_linenumber::tinyint, 5)',
  'least(l_quantity::float, 2)',
  'case when l_linenumber > 1 then l_linenumber::tinyint else l_linenumber::smallint end',
  '[l_linenumber::smallint, 100000]',
  '[l_linenumber::tinyint, 1]',
  '[l_quantity::float, 1.5]',
  'l_linenumber::tinyint = 300',
  'l_linenumber::tinyint::varchar',
  'l_quantity::float::varchar',
  "'1.5'::float",
  '1::smallint + 1::smallint',
];

const NARROW_AGGREGATES = [
  'sum(l_linenumber::tinyint)',
  'sum(l_linenumber::smallint)',
  'sum(l_quantity::float)',
  'avg(l_linenumber::smallint)',
  'avg(l_quantity::float)',
  'min(l_linenumber::tinyint)',
  'max(l_quantity::float)',
  'median(l_linenumber::smallint)',
  'median(l_quantity::float)',
  'quantile_cont(l_quantity::float, 0.3)',
  'quantile_disc(l_linenumber::tinyint, 0.3)',
  'stddev(l_quantity::float)',
  'product(l_linenumber::tinyint)',
  'mode(l_linenumber::smallint)',
  'list(l_linenumber::tinyint)',
];

const AGGREGATES = [
  'count(*)',
  'count(l_comment)',
  'count(distinct l_partkey)',
  'sum(l_quantity)',
  'sum(l_linenumber)',
  'sum(l_orderkey)',
  'sum(l_extendedprice * (1 - l_discount))',
  'sum(cast(l_quantity as double))',
  'avg(l_quantity)',
  'avg(l_linenumber)',
  'min(l_shipdate)',
  'max(l_comment)',
  'max(l_quantity) - min(l_quantity)',
  'sum(l_quantity * l_extendedprice) / count(*)',
  'round(avg(l_discount), 2)',
  'sum(l_quantity) + 1',
];

/** Window aggregates over INTEGER, BIGINT, DECIMAL, DOUBLE, FLOAT, SMALLINT and NULL, in each kind of frame. */
const WINDOW_FRAMES = [
  'OVER ()',
  'OVER (PARTITION BY l_returnflag ORDER BY l_orderkey)',
  'OVER (ORDER BY l_orderkey ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)',
  'OVER (ORDER BY l_linenumber RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)',
];
const WINDOW_AGGREGATES = ['sum', 'avg', 'count', 'min', 'max'].flatMap((fn) =>
  [
    'l_linenumber',
    'l_orderkey',
    'l_quantity',
    'cast(l_quantity as double)',
    'cast(l_quantity as float)',
    'cast(l_linenumber as smallint)',
    'NULL',
  ].map((arg) => `${fn}(${arg})`),
);

describe('type coercion matches DuckDB', () => {
  let oracle: DuckDbOracle;
  beforeAll(async () => {
    oracle = await DuckDbOracle.open();
    await oracle.run('create schema tpch');
    for (const t of tpchTables.filter((x) => x.source === 'tpch')) {
      const columns = t.columns.map((c) => `${c.name} ${typeToString(c.type)}`).join(', ');
      await oracle.run(`create table tpch.${t.table} (${columns})`);
    }
    await oracle.run('use tpch');
  });
  afterAll(() => oracle?.close());

  it('gives each scalar expression the type DuckDB gives it', async () => {
    for (const e of EXPRESSIONS) {
      const sql = `select ${e} from lineitem`;
      expect({ e, type: ourTypes(sql) }).toEqual({ e, type: await duckTypes(oracle, sql) });
    }
  });

  it('types and names TINYINT, SMALLINT and FLOAT expressions and aggregates as DuckDB does', async () => {
    for (const e of [...NARROW_EXPRESSIONS, ...NARROW_AGGREGATES]) {
      const sql = `select ${e} from lineitem`;
      // Bare list literals are named ARRAY[…] here, main.list_value(…) there: names apart.
      const named = !e.startsWith('[');
      const name = async () => (named ? (await oracle.describe(sql))[0].name : undefined);
      const expected = { e, type: await duckTypes(oracle, sql), name: await name() };
      expect({ e, type: ourTypes(sql), name: named ? ourNames(sql)[0] : undefined }).toEqual(expected);
    }
  });

  it('gives aggregates the type DuckDB gives them', async () => {
    for (const e of AGGREGATES) {
      const sql = `select ${e} from lineitem`;
      expect({ e, type: ourTypes(sql) }).toEqual({ e, type: await duckTypes(oracle, sql) });
    }
  });

  it('gives window aggregates the type DuckDB gives them, in every frame kind', async () => {
    for (const frame of WINDOW_FRAMES) {
      const sql = `select ${WINDOW_AGGREGATES.map((e) => `${e} ${frame}`).join(', ')} from lineitem`;
      const ours = ourTypes(sql);
      const theirs = await duckTypes(oracle, sql);
      expect(WINDOW_AGGREGATES.map((e, i) => `${e}: ${ours[i]}`)).toEqual(
        WINDOW_AGGREGATES.map((e, i) => `${e}: ${theirs[i]}`),
      );
    }
  });

  it('types the outputs of the TPC-H queries it binds like DuckDB, with the same names', async () => {
    for (const name of ['q1', 'q3', 'q4', 'q5', 'q6', 'q7', 'q10', 'q12', 'q14', 'q18', 'q19', 'q21']) {
      const sql = TPCH_QUERIES[name];
      expect({ name, type: ourTypes(sql) }).toEqual({ name, type: await duckTypes(oracle, sql) });
      expect(ourNames(sql)).toEqual((await oracle.describe(sql)).map((c) => c.name));
    }
  });

  it('names unaliased expressions the way DuckDB does', async () => {
    const sql =
      'select l_quantity, count(*), sum(l_quantity), (l_tax + l_discount), l_tax + 1, -l_tax, lower(l_comment), l_quantity as q from lineitem group by all';
    const grouped = sql.replace(' group by all', ' group by l_quantity, l_tax, l_discount, l_comment');
    expect(ourNames(grouped)).toEqual((await oracle.describe(grouped)).map((c) => c.name));
  });
});
