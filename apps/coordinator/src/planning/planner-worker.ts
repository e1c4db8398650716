import { parentPort, workerData } from 'node:worker_threads';
import { CatalogStore } from '@tributary/catalog';
import {
  TributaryError,
  asTributaryError,
  isWasmTrap,
  releaseMemory,
  type ErrorBody,
} from '@tributary/common';
import { connectorFor, discardParquetWasmAfterTrap } from '@tributary/connectors';
import { discoveryError } from '@tributary/engine';
import type { SourceType } from '@tributary/plan';
import { discoverWithSnapshots, type SnapshottedTable } from './discover-with-snapshots.ts';
import { planQuery, type PlanOutcome, type PlanRequest } from './plan-query.ts';
import { baseTableSnapshots } from '../reflections/base-table-snapshots.ts';
import type { CheckedTableSnapshot } from '../reflections/base-table-snapshots.ts';

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
    }
  /** The base tables a query reads (through views) and their data's fingerprints now: a reflection build's snapshot. */
  | { readonly kind: 'snapshot'; readonly sql: string };

export type { SnapshottedTable } from './discover-with-snapshots.ts';

export type PlannerResult = PlanOutcome | SnapshottedTable[] | CheckedTableSnapshot[];

export type PlannerReply =
  | { readonly id: number; readonly ok: true; readonly result: PlannerResult }
  | { readonly id: number; readonly ok: false; readonly error: ErrorBody; readonly status: number };

/** A planner thread has loaded the planner and takes jobs. */
export interface PlannerLoaded {
  readonly loaded: true;
}

/** A planner thread asks to be replaced (a decoder trapped on it); it answers nothing more. */
export interface PlannerRetire {
  readonly retire: true;
}

const data = workerData as PlannerWorkerData;
let catalog: CatalogStore | undefined;

/** The jobs running on this thread, and the file each reads now (if any). */
const inFlight = new Map<number, { file: string | null }>();
/** Set once this thread has asked to be replaced: it takes no new job. */
let retiring = false;

async function run(job: PlannerJob, state: { file: string | null }): Promise<PlannerResult> {
  if (job.kind === 'discover') {
    state.file = job.path;
    try {
      return await discoverWithSnapshots(
        (path, options) => connectorFor(job.type).discover(path, options, { roots: data.roots }),
        job.type,
        job.path,
        job.options,
        data.roots,
      );
    } catch (error) {
      throw discoveryError(error, job.path);
    }
  }
  catalog ??= CatalogStore.openReadOnly(data.catalogFile);
  if (job.kind === 'snapshot') return baseTableSnapshots(job.sql, catalog, data.roots);
  return planQuery(job.request, catalog, data.roots, (file) => (state.file = file));
}

/** What the pool sends a planner thread: a job, or (the coordinator went idle) a request to give memory back. */
export type PlannerMessage = { readonly id: number; readonly job: PlannerJob } | { readonly release: true };

function reply(message: PlannerReply): void {
  parentPort!.postMessage(message);
}

function fail(id: number, error: TributaryError): void {
  reply({ id, ok: false, error: error.toBody(), status: error.status });
}

/**
 * After a WebAssembly trap (parquet-wasm panicking on a corrupt file) the module's memory may
 * be inconsistent: this thread runs nothing more, and the pool sends what it still held to a
 * new one.
 */
function retire(): void {
  if (retiring) return;
  retiring = true;
  parentPort!.postMessage({ retire: true } satisfies PlannerRetire);
}

parentPort!.on('message', (message: PlannerMessage) => {
  if ('release' in message) {
    releaseMemory();
    return;
  }
  // The pool sends this job again to the thread that replaces this one.
  if (retiring) return;
  const state = { file: null as string | null };
  inFlight.set(message.id, state);
  void (async () => {
    try {
      const result = await run(message.job, state);
      reply({ id: message.id, ok: true, result });
    } catch (error) {
      fail(message.id, asTributaryError(error));
      if (isWasmTrap(error)) retire();
    } finally {
      inFlight.delete(message.id);
    }
  })();
});

/**
 * A decoder that fails outside any promise a job awaits (parquet-wasm trapping in a callback
 * of its own) would take the thread down with only "unreachable" to show, failing every plan
 * on it as an internal error. Instead the job reading a file fails with SOURCE_FILE_INVALID
 * naming it; the others go to the thread that replaces this one.
 */
process.on('uncaughtException', (error) => {
  // A trap of parquet-wasm costs its instance, not the thread: the reads on it start over.
  if (discardParquetWasmAfterTrap(error)) return;
  const readers = [...inFlight].filter(([, state]) => state.file !== null);
  // Only a job reading a file alone is surely the one whose decoder failed. With several, all
  // go to the new thread, where the culprit fails again (the pool bounds how often).
  if (readers.length === 1) fail(readers[0][0], discoveryError(error, readers[0][1].file!));
  inFlight.clear();
  retire();
});

parentPort!.postMessage({ loaded: true } satisfies PlannerLoaded);
