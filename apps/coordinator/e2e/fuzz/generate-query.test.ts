import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle } from '@tributary/common/testing';
import { tpchRoot } from '../harness.ts';
import { FUZZ_FEATURES, parseFuzzFeatures } from './fuzz-features.ts';
import { generatePartitionCheck } from './generate-partition-check.ts';
import { generateQuery } from './generate-query.ts';

describe('the fuzz query generator', () => {
  let oracle: DuckDbOracle | undefined;
  beforeAll(async () => {
    oracle = await DuckDbOracle.open([
      { schema: 'tpq', format: 'parquet', folder: path.join(tpchRoot, 'sf0.01', 'parquet') },
    ]);
  });
  afterAll(() => oracle?.close());

  it('gives the same SQL for the same seed', () => {
    const all = parseFuzzFeatures('all');
    for (let seed = 0; seed < 50; seed++) {
      expect(generateQuery(seed, 'tpq', all)).toEqual(generateQuery(seed, 'tpq', all));
      expect(generatePartitionCheck(seed, 'tpq', all)).toEqual(generatePartitionCheck(seed, 'tpq', all));
    }
  });

  it('keeps switched-off features out and puts switched-on ones in', () => {
    const texts = (features: string): string[] =>
      Array.from({ length: 400 }, (_, seed) => generateQuery(seed, 'tpq', parseFuzzFeatures(features)).sql);
    const none = texts('');
    expect(
      none.some((s) => /\bOVER\b|\bEXISTS\b|\(SELECT (?!\*)|\bUNION\b|\bINTERSECT\b|\bEXCEPT\b/.test(s)),
    ).toBe(false);
    expect(none.some((s) => /FULL JOIN/.test(s))).toBe(true);
    expect(none.some((s) => /LEFT JOIN/.test(s))).toBe(true);
    expect(none.some((s) => /GROUP BY .* HAVING/.test(s))).toBe(true);
    expect(none.some((s) => /SELECT DISTINCT/.test(s))).toBe(true);
    expect(none.some((s) => / LIKE '/.test(s))).toBe(true);
    expect(none.some((s) => /NULLIF\(/.test(s))).toBe(true);
    expect(texts('windows').some((s) => /\bOVER \(/.test(s))).toBe(true);
    expect(texts('subqueries').some((s) => /EXISTS \(SELECT/.test(s))).toBe(true);
    expect(texts('setops').some((s) => /\b(UNION|INTERSECT|EXCEPT)\b/.test(s))).toBe(true);
    expect(() => parseFuzzFeatures('lateral')).toThrow(/unknown fuzz feature/);
    expect(FUZZ_FEATURES).toEqual(['subqueries', 'windows', 'setops']);
  });

  it('writes queries DuckDB accepts, every feature on', async () => {
    const all = parseFuzzFeatures('all');
    const refused: string[] = [];
    for (let seed = 0; seed < 300; seed++) {
      const check = generatePartitionCheck(seed, 'tpq', all);
      for (const sql of [generateQuery(seed, 'tpq', all).sql, check.whole, ...check.parts]) {
        await oracle!
          .describe(sql)
          .catch((e: unknown) => refused.push(`${seed}: ${String(e).split('\n')[0]}\n${sql}`));
      }
    }
    expect(refused).toEqual([]);
  });
});
