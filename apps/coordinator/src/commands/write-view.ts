import type { CatalogStore, ViewRecord } from '@tributary/catalog';
import { CatalogError, TributaryError } from '@tributary/common';
import { drainResult } from '../query/drain-result.ts';
import type { QueryService } from '../query/query-service.ts';

const quoteName = (part: string) => `"${part.replace(/"/g, '""')}"`;

export interface WriteViewOptions {
  /** CREATE OR REPLACE VIEW rather than CREATE VIEW. */
  readonly replace: boolean;
  readonly user: string | undefined;
  /** The tag the replaced view must still have, checked in the write's transaction (409 TAG_MISMATCH). */
  readonly expectedTag?: string;
}

/**
 * Creates or replaces a view over REST (the v1 views routes and Dremio's v3 catalog) by running
 * the CREATE [OR REPLACE] VIEW statement SQL would: a job whose SQL is bound on a planner thread
 * for its columns, authorized, then written on this thread. Returns the view as written.
 */
export async function writeView(
  deps: { readonly queries: QueryService; readonly catalog: CatalogStore },
  path: readonly string[],
  body: { readonly sql: string; readonly context?: string | readonly string[] },
  options: WriteViewOptions,
): Promise<ViewRecord> {
  // The statement's first line is ours: errors point into the caller's SQL, one line up.
  const sql = `CREATE ${options.replace ? 'OR REPLACE ' : ''}VIEW ${path.map(quoteName).join('.')} AS\n${body.sql}`;
  const job = deps.queries.start(
    {
      sql,
      queryType: 'REST',
      ...(body.context === undefined ? {} : { context: body.context }),
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.expectedTag === undefined ? {} : { expectedViewTag: options.expectedTag }),
    },
    new AbortController().signal,
  );
  try {
    await drainResult(await job.result);
  } catch (error) {
    throw shiftedUp(error);
  }
  const view = deps.catalog.namespace.getView(path);
  if (!view) throw new CatalogError('VIEW_NOT_FOUND', `no view ${path.join('.')}`, { status: 404 });
  return view;
}

/** An error in a view's SQL, positioned in the caller's text (ours has one line before it). */
function shiftedUp(error: unknown): unknown {
  if (!(error instanceof TributaryError) || error.line === undefined || error.line < 2) return error;
  const body = error.toBody();
  return TributaryError.fromBody({ ...body, line: (body.line ?? 2) - 1 }, error.status);
}
