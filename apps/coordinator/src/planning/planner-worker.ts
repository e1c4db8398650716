import { parentPort, workerData } from 'node:worker_threads';
import { CatalogStore } from '@tributary/catalog';
import { asTributaryError, type ErrorBody } from '@tributary/common';
import { planQuery, type PlannedQuery, type PlanRequest } from './plan-query.ts';

export interface PlannerWorkerData {
  readonly catalogFile: string;
  /** Folders sources may read (split planning opens files). */
  readonly roots: readonly string[];
}

export type PlannerReply =
  | { readonly id: number; readonly ok: true; readonly planned: PlannedQuery }
  | { readonly id: number; readonly ok: false; readonly error: ErrorBody; readonly status: number };

const data = workerData as PlannerWorkerData;
let catalog: CatalogStore | undefined;

parentPort!.on('message', (message: { id: number; request: PlanRequest }) => {
  void (async () => {
    try {
      catalog ??= CatalogStore.openReadOnly(data.catalogFile);
      const planned = await planQuery(message.request, catalog, data.roots);
      parentPort!.postMessage({ id: message.id, ok: true, planned } satisfies PlannerReply);
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
