import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbOracle } from '@tributary/common/testing';
import { startTributary, tpchRoot } from '../harness.ts';
import { TributaryClient } from '../tributary-client.ts';
import { parseFuzzFeatures } from './fuzz-features.ts';
import { formatMismatch, runFuzz } from './run-fuzz.ts';

/**
 * `npm run fuzz -- [--n 100000] [--seed S] [--features subqueries,windows,setops|all]
 * [--executors 2] [--broadcast-row-limit 1000] [--data <sf0.01 parquet folder>]`: starts one
 * cluster, runs n seeded cases against DuckDB over the same Parquet files, prints every
 * mismatch with its seed and SQL, and exits 1 when there was one.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000' },
      seed: { type: 'string', default: String(Date.now() % 1_000_000_000) },
      features: { type: 'string', default: process.env.TRIBUTARY_FUZZ_FEATURES ?? '' },
      executors: { type: 'string', default: '2' },
      'broadcast-row-limit': { type: 'string', default: '1000' },
      data: { type: 'string', default: path.join(tpchRoot, 'sf0.01', 'parquet') },
    },
  });
  const count = Number(values.n);
  const seed = Number(values.seed);
  const features = parseFuzzFeatures(values.features);
  const source = 'tpq';
  console.log(`fuzz: ${count} cases from seed ${seed}, features [${[...features].join(', ')}]`);
  const service = await startTributary({
    executors: Number(values.executors),
    env: { TRIBUTARY_BROADCAST_ROW_LIMIT: values['broadcast-row-limit'] },
  });
  const oracle = await DuckDbOracle.open([{ schema: source, format: 'parquet', folder: values.data }]);
  try {
    const client = new TributaryClient(() => service.url);
    await client.addSource({ name: source, type: 'parquet', path: values.data });
    const started = Date.now();
    const stats = await runFuzz({
      tributary: (sql) => client.sql(sql),
      oracle,
      source,
      seed,
      count,
      features,
      onMismatch: (m) => console.log(formatMismatch(m)),
    });
    for (const r of stats.oracleRejected)
      console.log(`--- DuckDB refused seed=${r.seed}: ${r.error.split('\n')[0]}\n${r.sql}`);
    console.log(
      `fuzz: ${stats.cases} cases (${stats.queries} queries compared with DuckDB, ${stats.partitionChecks} partition checks) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${stats.mismatches.length} mismatch(es), ${stats.oracleRejected.length} refused by DuckDB`,
    );
    if (stats.mismatches.length > 0) process.exitCode = 1;
  } finally {
    oracle.close();
    await service.dispose();
  }
}

await main();
