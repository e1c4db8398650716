import { compareResults, DuckDbOracle } from '@tributary/common/testing';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { tpchQuery } from '@tributary/tpch';
import { startTributary, tpchRoot } from '../e2e/harness.ts';
import { hasOrderBy } from '../e2e/sql-cases.ts';
import { TributaryClient } from '../e2e/tributary-client.ts';

/**
 * `node --import tsx apps/coordinator/bench/time-tpch.ts [--queries 9,19,5,8,21] [--data <parquet
 * folder>] [--executors 2] [--timeout 120000] [--disable rule,rule]`: times TPC-H queries (as
 * the specification writes them, run with the source as the default path) on one cluster,
 * one run each, and checks each answer against DuckDB over the same files.
 */
const { values } = parseArgs({
  options: {
    queries: { type: 'string', default: '9,19,5,8,21' },
    data: { type: 'string', default: path.join(tpchRoot, 'sf0.1', 'parquet') },
    executors: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '120000' },
    disable: { type: 'string', default: '' },
  },
});

const SOURCE = 'tpch';
const queries = values.queries.split(',').map(Number);
const timeoutMs = Number(values.timeout);
const disabledRules = values.disable ? values.disable.split(',') : [];

const service = await startTributary({ executors: Number(values.executors) });
const client = new TributaryClient(() => service.url);
const oracle = await DuckDbOracle.open([{ schema: SOURCE, format: 'parquet', folder: values.data }]);
try {
  await client.addSource({ name: SOURCE, type: 'parquet', path: values.data });
  await oracle.query(`SET schema = '${SOURCE}'`);
  for (const n of queries) {
    const sql = tpchQuery(n);
    const started = performance.now();
    const body = { sql, context: [SOURCE], ...(disabledRules.length ? { options: { disabledRules } } : {}) };
    let outcome: string;
    try {
      const answer = await client.request<{ rows: unknown[][]; columns: { name: string; type: string }[] }>(
        'POST',
        '/api/v1/sql',
        body,
        { timeoutMs },
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (answer.status !== 200)
        outcome = `${seconds} s, failed ${answer.status}: ${answer.text.slice(0, 200)}`;
      else {
        const expected = await oracle.query(sql).catch(() => undefined);
        const problems = expected
          ? compareResults(answer.body, expected, {
              ordered: hasOrderBy(sql),
              tolerantNumbers: false,
            })
          : ['DuckDB could not run it'];
        outcome = `${seconds} s, ${answer.body.rows.length} rows, ${problems.length ? `differs from DuckDB: ${problems[0]}` : 'same as DuckDB'}`;
      }
    } catch (error) {
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      outcome = `${seconds} s, no answer: ${(error as Error).message}`;
    }
    console.log(`Q${n}: ${outcome}`);
  }
} finally {
  oracle.close();
  await service.dispose();
}
