import { SourceError, TributaryError } from '@tributary/common';
import type { PlanOutcome, PlanRequest } from '../planning/plan-query.ts';
import type { Planner } from '../planning/planner.ts';

/**
 * Planning that re-reads a changed source instead of failing: when planning finds a table
 * whose files changed since its metadata was read (SOURCE_CHANGED), the source is refreshed
 * (discovery on the planner threads, coalesced with any refresh already waiting) and the query
 * planned once more. A refresh is a bounded cost (headers, footers and samples of the source's
 * files), paid by the first query after a change. Once only: a source that changes again at
 * once answers SOURCE_CHANGED; a refresh that fails answers its own typed error, and the
 * source keeps its old metadata.
 */
export class RefreshingPlanner implements Planner {
  constructor(
    private readonly planner: Planner,
    private readonly sources: { refresh(name: string): Promise<unknown> },
    private readonly log: (message: string) => void,
  ) {}

  async plan(request: PlanRequest, signal: AbortSignal): Promise<PlanOutcome> {
    try {
      return await this.planner.plan(request, signal);
    } catch (error) {
      const source = changedSource(error);
      if (source === undefined || signal.aborted) throw error;
      this.log(`source "${source}" changed since its metadata was read: refreshing it before planning`);
      try {
        await this.sources.refresh(source);
      } catch (failure) {
        throw unreadable(error as TributaryError, failure);
      }
      signal.throwIfAborted();
      try {
        return await this.planner.plan(request, signal);
      } catch (second) {
        throw noLongerFits(error as TributaryError, second);
      }
    }
  }
}

/**
 * A refresh that failed without a typed error (its reader crashed on a planner thread, which
 * was replaced) failed on the files that changed, the ones the query would read:
 * SOURCE_FILE_INVALID naming them. A typed failure (a bad file named, a folder gone) stands.
 */
function unreadable(change: TributaryError, failure: unknown): unknown {
  if (failure instanceof TributaryError && failure.phase !== 'internal') return failure;
  const { source, table } = change.details ?? {};
  const changes = Array.isArray(change.details?.changes) ? (change.details.changes as string[]) : [];
  const why = failure instanceof Error ? failure.message : String(failure);
  return new SourceError(
    'SOURCE_FILE_INVALID',
    `table ${String(source)}.${String(table)} changed (${changes.slice(0, 3).join('; ')}) and could not ` +
      `be read again: ${why}`,
    { details: { ...change.details, metadataKept: true }, cause: failure },
  );
}

/**
 * A query that does not bind against the table read again (a column gone, fewer columns for
 * an ORDER BY position) fails because the table changed, or at least where it changed, so it
 * says so: SOURCE_CHANGED naming the files, with the bind error's message and position (its
 * code in details.bindError).
 */
function noLongerFits(change: TributaryError, error: unknown): unknown {
  if (!(error instanceof TributaryError) || error.phase !== 'bind') return error;
  const { source, table } = change.details ?? {};
  const changes = Array.isArray(change.details?.changes) ? (change.details.changes as string[]) : [];
  return new SourceError(
    'SOURCE_CHANGED',
    `table ${String(source)}.${String(table)} changed (${changes.slice(0, 3).join('; ')}) and was read ` +
      `again; the query does not fit it: ${error.message}`,
    {
      status: 409,
      ...(error.line === undefined ? {} : { position: { line: error.line, column: error.column ?? 1 } }),
      ...(error.suggestions ? { suggestions: error.suggestions } : {}),
      details: { ...change.details, refreshed: true, bindError: error.code },
      cause: error,
    },
  );
}

function changedSource(error: unknown): string | undefined {
  if (!(error instanceof TributaryError) || error.code !== 'SOURCE_CHANGED') return undefined;
  const source = error.details?.source;
  return typeof source === 'string' ? source : undefined;
}
