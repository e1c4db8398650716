import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The numbers of the 22 TPC-H queries. */
export const TPCH_QUERY_NUMBERS: readonly number[] = Array.from({ length: 22 }, (_, i) => i + 1);

const queriesFolder = fileURLToPath(new URL('../queries/', import.meta.url));

/**
 * TPC-H query `n` as written in the specification with its validation (qualification)
 * parameters, over unqualified table names: run it with the source as the default path.
 * The texts live in `libs/tpch/queries/qNN.sql` so they can be read and run by hand too.
 */
export function tpchQuery(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 22) throw new RangeError(`TPC-H has queries 1 to 22, not ${n}`);
  const file = `${queriesFolder}q${String(n).padStart(2, '0')}.sql`;
  return readFileSync(file, 'utf8').trim().replace(/;$/, '');
}
