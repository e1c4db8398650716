import type { TableRef } from './logical-plan.ts';
import type { ViewDefinition } from './catalog-view.ts';

/** A source as information_schema and sys.sources show it. */
export interface ListedSource {
  readonly name: string;
  readonly type: string;
  /** Its folder or file; null where the viewer may not see server paths (catalog-redaction). */
  readonly path: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ListedSpace {
  readonly name: string;
  readonly createdAt: string;
}

export interface ListedView extends ViewDefinition {
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A job as sys.jobs shows it (the catalog's jobs table). */
export interface ListedJob {
  readonly id: string;
  readonly sql: string;
  readonly context: string | null;
  readonly state: string;
  readonly user: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly rowCount: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** It read at least one reflection (absent: not known, shown as false). */
  readonly accelerated?: boolean;
}

/** A reflection as sys.reflections shows it. */
export interface ListedReflection {
  readonly id: string;
  readonly name: string;
  /** The table or view it is defined on. */
  readonly datasetPath: readonly string[];
  readonly type: string;
  readonly status: string;
  readonly enabled: boolean;
  /** Its definition in words. */
  readonly definition: string;
  /** Of the serving materialization; null before the first build. */
  readonly recordCount: number | null;
  readonly bytes: number | null;
  /** When the serving materialization's build ended (ISO); null before the first. */
  readonly lastRefresh: string | null;
  readonly refreshMs: number | null;
  /** When the serving materialization's build began reading its dataset (ISO): its data's age. */
  readonly snapshotTime: string | null;
  readonly failureCount: number;
  readonly lastError: string | null;
}

/** An executor as sys.executors shows it: a snapshot of the coordinator's registry. */
export interface ListedExecutor {
  readonly id: string;
  /** null where the viewer may not see executor addresses (catalog-redaction). */
  readonly url: string | null;
  readonly threads: number;
  readonly state: string;
  /** ISO time of its last heartbeat. */
  readonly lastHeartbeat: string;
}

/**
 * The whole catalog, for the catalog tables (information_schema, sys): read only by the
 * statements that query them, each part when first asked for.
 */
export interface CatalogListing {
  sources(): readonly ListedSource[];
  tables(): readonly TableRef[];
  spaces(): readonly ListedSpace[];
  /** Every folder's full path, [space, ...folders]. */
  folders(): readonly (readonly string[])[];
  views(): readonly ListedView[];
  jobs(): readonly ListedJob[];
  executors(): readonly ListedExecutor[];
  /** Reflections (sys.reflections); absent where there are none (catalogs of unit tests). */
  reflections?(): readonly ListedReflection[];
}
