import type { QueryResult } from './query-service.ts';

/**
 * Reads a statement's answer to its end and closes its job (a catalog command's summary row,
 * which the caller does not need): the rows it had, or the job's error, thrown.
 */
export async function drainResult(result: QueryResult): Promise<number> {
  let rows = 0;
  try {
    for await (const batch of result.batches) rows += batch.numRows;
    result.finish({ rowCount: rows });
    return rows;
  } catch (error) {
    result.finish({ error });
    throw error;
  }
}
