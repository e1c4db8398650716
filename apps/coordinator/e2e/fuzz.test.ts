import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { parseFuzzFeatures } from './fuzz/fuzz-features.ts';
import { formatMismatch, runFuzz } from './fuzz/run-fuzz.ts';
import { FUZZ_REGRESSIONS } from './fuzz-regressions.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { forSource, hasOrderBy } from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';

/**
 * The differential fuzzer in `npm test`: one cluster (2 executors; join sides up to 1,000
 * rows broadcast, larger ones shuffled), SF 0.01 Parquet, 500 seeded cases. More with
 * `npm run fuzz -- --n 100000 --seed S`; TRIBUTARY_FUZZ_CASES, TRIBUTARY_FUZZ_SEED and
 * TRIBUTARY_FUZZ_FEATURES (e.g. `subqueries,windows,setops`) change this run.
 */
const CASES = Number(process.env.TRIBUTARY_FUZZ_CASES ?? 500);
const SEED = Number(process.env.TRIBUTARY_FUZZ_SEED ?? 20_261_129);
const FEATURES = parseFuzzFeatures(process.env.TRIBUTARY_FUZZ_FEATURES);
const SOURCE = 'tpq';
const folder = path.join(tpchRoot, 'sf0.01', 'parquet');

describe('Tributary answers seeded random queries like DuckDB', () => {
  let service: TributaryProcess | undefined;
  let oracle: DuckDbOracle | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    service = await startTributary({ executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '1000' } });
    await client.addSource({ name: SOURCE, type: 'parquet', path: folder });
    oracle = await DuckDbOracle.open([{ schema: SOURCE, format: 'parquet', folder }]);
  });

  afterAll(async () => {
    oracle?.close();
    await service?.dispose();
  });

  for (const c of FUZZ_REGRESSIONS) {
    it(`regression: ${c.name}`, async () => {
      const sql = forSource(c.sql, SOURCE);
      const problems = compareResults(await client.sql(sql), await oracle!.query(sql), {
        ordered: hasOrderBy(sql),
        orderKeys: c.orderKeys,
        typeAllowances: c.typeAllowances,
      });
      expect(problems, sql).toEqual([]);
    });
  }

  it(`${CASES} cases from seed ${SEED} agree (values, names, types, order) and partition checks hold`, async () => {
    const stats = await runFuzz({
      tributary: (sql) => client.sql(sql),
      oracle: oracle!,
      source: SOURCE,
      seed: SEED,
      count: CASES,
      features: FEATURES,
    });
    expect(stats.mismatches.map(formatMismatch)).toEqual([]);
    // DuckDB refusing a generated query is a generator bug: it must stay rare.
    expect(stats.oracleRejected.map((r) => `seed=${r.seed}: ${r.error.split('\n')[0]}`)).toEqual([]);
    expect(stats.partitionChecks).toBeGreaterThan(CASES / 10);
  }, 600_000);
});
