import { parentPort, workerData } from 'node:worker_threads';
import { CatalogStore } from '@tributary/catalog';
import { asTributaryError, releaseMemory, type ErrorBody } from '@tributary/common';
import { connectorFor } from '@tributary/connectors';
import type { SourceType } from '@tributary/plan';
import { discoverWithSnapshots, type SnapshottedTable } from './discover-with-snapshots.ts';
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

export type { SnapshottedTable } from './discover-with-snapshots.ts';

export type PlannerResult = PlannedQuery | SnapshottedTable[];

export type PlannerReply =
  | { readonly id: number; readonly ok: true; readonly result: PlannerResult }
  | { readonly id: number; readonly ok: false; readonly error: ErrorBody; readonly status: number };

const data = workerData as PlannerWorkerData;
let catalog: CatalogStore | undefined;

async function run(job: PlannerJob): Promise<PlannerResult> {
  if (job.kind === 'discover')
    return discoverWithSnapshots(
      (path, options) => connectorFor(job.type).discover(path, options, { roots: data.roots }),
      job.type,
      job.path,
      job.options,
      data.roots,
    );
  catalog ??= CatalogStore.openReadOnly(data.catalogFile);
  return planQuery(job.request, catalog, data.roots);
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
