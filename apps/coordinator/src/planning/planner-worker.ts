import { parentPort, workerData } from 'node:worker_threads';
import { CatalogStore } from '@tributary/catalog';
import { asTributaryError, releaseMemory, type ErrorBody } from '@tributary/common';
import {
  connectorFor,
  takeTableSnapshot,
  type DiscoveredTable,
  type TableSnapshot,
} from '@tributary/connectors';
import type { SourceType } from '@tributary/plan';
import { planQuery, type PlannedQuery, type PlanRequest } from './plan-query.ts';

export interface PlannerWorkerData {
  readonly catalogFile: string;
  /** Folders sources may read (split planning opens files). */
  readonly roots: readonly string[];
}

/** What a planner thread is asked: plan a query, or list the tables of a source being registered. */
export type PlannerJob =
  | { readonly kind: 'plan'; readonly request: PlanRequest }
  | {
      readonly kind: 'discover';
      readonly type: SourceType;
      readonly path: string;
      readonly options: Readonly<Record<string, unknown>>;
    };

/** A discovered table with the snapshot of its files taken right after its metadata was read. */
export type SnapshottedTable = DiscoveredTable & { readonly snapshot: TableSnapshot };

export type PlannerResult = PlannedQuery | SnapshottedTable[];

export type PlannerReply =
  | { readonly id: number; readonly ok: true; readonly result: PlannerResult }
  | { readonly id: number; readonly ok: false; readonly error: ErrorBody; readonly status: number };

const data = workerData as PlannerWorkerData;
let catalog: CatalogStore | undefined;

async function run(job: PlannerJob): Promise<PlannerResult> {
  if (job.kind === 'discover') return discoverWithSnapshots(job.type, job.path, job.options);
  catalog ??= CatalogStore.openReadOnly(data.catalogFile);
  return planQuery(job.request, catalog, data.roots);
}

/**
 * Discovery, then each table's snapshot. The snapshot is taken after the files were read, so a
 * file written during discovery could pair old columns with a new snapshot; a file whose mtime
 * is not older than the discovery's start is therefore read once more. What is still written
 * during that second read goes unseen until the next change (mtime granularity bounds it).
 */
async function discoverWithSnapshots(
  type: SourceType,
  path: string,
  options: Readonly<Record<string, unknown>>,
): Promise<SnapshottedTable[]> {
  let tables: SnapshottedTable[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const started = Date.now();
    const discovered = await connectorFor(type).discover(path, options, { roots: data.roots });
    tables = [];
    for (const table of discovered)
      tables.push({
        ...table,
        snapshot: await takeTableSnapshot(type, table.location, data.roots, { top: path }),
      });
    // A live SQLite database is written all the time; its tables' columns hang on its schema only.
    const writtenMeanwhile =
      type !== 'sqlite' && tables.some((t) => t.snapshot.files.some((f) => f.mtimeMs >= started - 1));
    if (!writtenMeanwhile) break;
  }
  return tables;
}

/** What the pool sends a planner thread: a job, or (the coordinator went idle) a request to give memory back. */
export type PlannerMessage = { readonly id: number; readonly job: PlannerJob } | { readonly release: true };

parentPort!.on('message', (message: PlannerMessage) => {
  if ('release' in message) {
    releaseMemory();
    return;
  }
  void (async () => {
    try {
      const result = await run(message.job);
      parentPort!.postMessage({ id: message.id, ok: true, result } satisfies PlannerReply);
    } catch (error) {
      const typed = asTributaryError(error);
      parentPort!.postMessage({
        id: message.id,
        ok: false,
        error: typed.toBody(),
        status: typed.status,
      } satisfies PlannerReply);
    }
  })();
});
