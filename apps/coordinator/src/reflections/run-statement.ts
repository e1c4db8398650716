import { drainResult } from '../query/drain-result.ts';
import type { QueryService } from '../query/query-service.ts';

/**
 * Runs a catalog statement for a REST route as SQL would run it: a job (queryType REST) whose
 * statement is checked on a planner thread, authorized, then applied on this thread; its one
 * row (the summary) is the answer, a typed error its failure.
 */
export async function runStatement(
  queries: Pick<QueryService, 'start'>,
  sql: string,
  user: string | undefined,
): Promise<void> {
  const job = queries.start(
    { sql, queryType: 'REST', ...(user === undefined ? {} : { user }) },
    new AbortController().signal,
  );
  await drainResult(await job.result);
}
