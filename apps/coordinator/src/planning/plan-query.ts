import type { CatalogStore } from '@tributary/catalog';
import { TributaryError } from '@tributary/common';
import {
  checkTableUnchanged,
  connectorFor,
  snapshotInLocation,
  tableFiles,
  takeTableSnapshot,
  type Split,
} from '@tributary/connectors';
import {
  explainStages,
  formatExplain,
  fragmentPlan,
  locationFile,
  planPhysical,
  sourceFileError,
  type ExplainedPlan,
} from '@tributary/engine';
import { optimize } from '@tributary/optimizer';
import {
  countedAnything,
  emptyScanCounters,
  planInputs,
  printPlan,
  type ListedExecutor,
  type LogicalPlan,
  type ScanCounters,
  type ScanNode,
  type SourceType,
  type TableRef,
} from '@tributary/plan';
import {
  physicalChildren,
  scheduledPlan,
  type PhysicalNode,
  type ScheduledPlan,
  type SplitInfo,
} from '@tributary/protocol';
import { bindSql, type CatalogCommand, type StatementReads } from '@tributary/sql';
import { AccessControl } from '../auth/access-control.ts';
import { withFileSubset, type FileSubset } from '../reflections/file-subset.ts';
import { catalogRedactionFor } from './catalog-redaction.ts';
import { catalogViewOf, type StoreCatalogView } from './catalog-view-of.ts';
import { changedTableBehind } from './changed-table-behind.ts';
import { groupSplits } from './group-splits.ts';
import { accelerationLines } from './acceleration-lines.ts';
import { planWithReflections, type PlannedAcceleration } from './plan-with-reflections.ts';
import { restrictedCatalogViews } from './readable-catalog-view.ts';

export interface PlanRequest {
  readonly sql: string;
  readonly context?: readonly string[];
  /** Optimizer rules switched off for this query (names checked by the query service). */
  readonly disabledRules?: readonly string[];
  /** false takes all work out of the scans (the scanPushdown setting); true by default. */
  readonly scanPushdown?: boolean;
  /** Task slots of the cluster now (executor threads): partitions of every shuffle. */
  readonly partitions: number;
  /** Splits a scan is cut into per task slot. */
  readonly splitsPerThread: number;
  readonly broadcastRowLimit: number;
  /** The user it runs as (auth sets it); undefined: none, auth off. */
  readonly user?: string;
  /** The coordinator's executors now, for sys.executors (a planner thread cannot see the registry). */
  readonly executors?: readonly ListedExecutor[];
  /**
   * The user whose grants limit what the statement may read (auth on, not an admin); absent
   * when it may read everything. Checked here, right after binding, so that nothing of a
   * refused table (its files, their changes) is read or told.
   */
  readonly accessUser?: string;
  /** false plans without reflections (the `reflections` setting, `options.reflections`); true by default. */
  readonly reflections?: boolean;
  /** The oldest data a stale reflection may give this query (ms); 0 or absent: fresh only. */
  readonly maxStalenessMs?: number;
  /**
   * Only these files of this table are read (an incremental reflection build reads a folder
   * table's new files alone); set by the reflection service, never from a request body.
   */
  readonly fileSubset?: FileSubset;
}

/** What planning a statement gives: a distributed plan, or a command for the coordinator to apply. */
export type PlanOutcome = PlannedQuery | PlannedCommand;

/** A statement that changes the catalog, checked here and applied by the coordinator. */
export interface PlannedCommand extends StatementReads {
  readonly kind: 'command';
  readonly command: CatalogCommand;
}

export interface PlannedQuery extends StatementReads {
  readonly kind: 'query' | 'explain';
  /** EXPLAIN ANALYZE: run it, then report. */
  readonly analyze: boolean;
  readonly plan: ScheduledPlan;
  /** The optimized logical plan, printed (EXPLAIN, and the job's plan). */
  readonly logical: string;
  /** The distributed plan, printed in parts (EXPLAIN, and the job's plan and profile). */
  readonly explained: ExplainedPlan;
  /**
   * `explained` as EXPLAIN prints it, made here with the rest: the plan of a 100,000-item IN
   * list prints to megabytes, which the coordinator's event loop must not spend time on.
   */
  readonly explainText: string;
  /** Rows its scans read, as their splits estimate (Infinity when a source does not know). */
  readonly estimatedRows: number;
  /** Each stage's scan (by stage id; null: none): its table, and what planning pruned from it. */
  readonly stageScans: readonly (StageScan | null)[];
  /**
   * The data of each table it reads as planning saw it, for a plan cache to tell that the plan
   * (its splits above all) still holds; null when it must not be kept (a volatile statement, a
   * view whose columns changed, too many files to check cheaply).
   */
  readonly freshness: readonly TableFreshness[] | null;
  /** What it did with reflections (null: none exist or substitution was off). */
  readonly acceleration?: PlannedAcceleration | null;
}

/** A table's data as planning saw it: equal fingerprints later mean the same files, unchanged. */
export interface TableFreshness {
  readonly sourceType: SourceType;
  readonly location: Readonly<Record<string, unknown>>;
  /** The folders whose mtimes the snapshot holds (files added or removed). */
  readonly folders: readonly string[];
  readonly fingerprint: string;
}

/**
 * The source of a reflection's materialization as the planner reads it (REFLECTION_SOURCE of
 * reflections/build-materialization.ts, not imported: its writer has no place on a planner
 * thread). A materialization's files are written once, in a folder of their own, and a new
 * one reaches plans only through a catalog write, which voids every cached plan: a plan cache
 * need not stat them (the reflection's base tables stand in its freshness instead).
 */
const MATERIALIZATION_SOURCE = '$reflection';

/** A plan over more files than this is not kept: checking it would cost what planning does. */
const MAX_FRESHNESS_FILES = 1_000;

/**
 * The table's data now, taken after checkTableUnchanged passed and before its splits are
 * planned: a change after it shows in a later check (the cached plan is then not used), never
 * the other way round. A file table's stored snapshot is its current one (the check just
 * compared them); a SQLite database's rows change with no schema change, so it is stamped anew.
 */
export async function freshnessOf(table: TableRef, roots: readonly string[]): Promise<TableFreshness> {
  const stored = snapshotInLocation(table);
  const folders = stored?.folders?.map((f) => f.path) ?? [];
  const fingerprint =
    table.sourceType !== 'sqlite' && stored
      ? stored.fingerprint
      : (await takeTableSnapshot(table.sourceType, table.location, roots, { schema: false, folders }))
          .fingerprint;
  return {
    sourceType: table.sourceType,
    location: table.location,
    folders,
    fingerprint,
  };
}

export interface StageScan {
  /** `source.table` */
  readonly table: string;
  /** Row groups, files and partitions planSplits left out; null when it counted nothing. */
  readonly pruned: ScanCounters | null;
}

/** The scan a stage's plan reads (a stage has at most one: it drives the tasks). */
function stageScan(node: PhysicalNode): ScanNode | undefined {
  if (node.kind === 'scan') return node.scan;
  for (const child of physicalChildren(node)) {
    const scan = stageScan(child);
    if (scan) return scan;
  }
  return undefined;
}

export function scansOf(plan: LogicalPlan, into: ScanNode[] = []): ScanNode[] {
  if (plan.kind === 'scan') into.push(plan);
  else for (const input of planInputs(plan)) scansOf(input, into);
  return into;
}

async function bind(
  request: PlanRequest,
  view: StoreCatalogView,
  roots: readonly string[],
  readable: StoreCatalogView | undefined,
) {
  const options = request.context ? { context: [...request.context] } : {};
  try {
    return bindSql(request.sql, view, options);
  } catch (error) {
    if (!(error instanceof TributaryError) || error.phase !== 'bind') throw error;
    // A user who may not read everything gets binding errors as the catalog they may read
    // gives them: no suggestion, ambiguity or column list tells of tables they may not see.
    let cause: unknown = error;
    if (readable) {
      try {
        return bindSql(request.sql, readable, options);
      } catch (again) {
        if (!(again instanceof TributaryError) || again.phase !== 'bind') throw again;
        cause = again;
      }
    }
    // A column a file gained since the last refresh fails binding: say that, not "not found".
    throw (await changedTableBehind(request.sql, (readable ?? view).tablesSeen, roots)) ?? cause;
  }
}

function cacheable(volatile: boolean, viewChanges: number, freshness: readonly TableFreshness[]): boolean {
  if (volatile || viewChanges > 0) return false;
  const files = freshness.reduce((n, f) => n + tableFiles(f.sourceType, f.location).length, 0);
  return files <= MAX_FRESHNESS_FILES;
}

/**
 * SQL text to a distributed plan: bind against the catalog, optimize, choose physical
 * operators, cut each scan into splits, and cut the plan into stages. Runs on a planner
 * thread, never on the coordinator's event loop. `onFile` is told the file split planning
 * reads while it reads one, so a decoder that kills the thread can still be named.
 */
export async function planQuery(
  request: PlanRequest,
  catalog: CatalogStore,
  roots: readonly string[],
  onFile?: (file: string | null) => void,
): Promise<PlanOutcome> {
  const access = request.accessUser === undefined ? undefined : new AccessControl(catalog.users);
  const principal = { user: request.accessUser, admin: false };
  const all = withFileSubset(
    catalogViewOf(catalog, request.executors ?? [], catalogRedactionFor(access !== undefined)),
    request.fileSubset,
  );
  const readablePaths = access?.readablePaths(principal);
  const views = readablePaths && restrictedCatalogViews(all, readablePaths, request.accessUser ?? '');
  const statement = await bind(request, views?.binding ?? all, roots, views?.errors);
  const { reads, viewColumnChanges, volatile } = statement;
  access?.checkReads(principal, reads);
  if (statement.kind === 'command')
    return { kind: 'command', command: statement.command, reads, viewColumnChanges, volatile };
  // Reflections stand in for parts of the bound plan before the rules run (see planWithReflections).
  const { plan: bound, acceleration } =
    // An incremental build reads a subset of a table's files: never a reflection in their place.
    request.reflections === false || request.fileSubset !== undefined
      ? { plan: statement.plan, acceleration: null }
      : await planWithReflections(statement.plan, reads, catalog, all, roots, request.maxStalenessMs ?? 0);
  const logical = optimize(bound, {
    disabledRules: request.disabledRules ?? [],
    scanPushdown: request.scanPushdown ?? true,
  });
  const physical = planPhysical(logical);
  const target = Math.max(1, request.partitions * request.splitsPerThread);
  const splits = new Map<ScanNode, SplitInfo[][]>();
  let estimatedRows = 0;
  const pruning = new Map<ScanNode, ScanCounters>();
  const checked = new Set<string>();
  const freshness: TableFreshness[] = [];
  for (const scan of scansOf(logical)) {
    // A table whose files changed since its metadata was read fails here with SOURCE_CHANGED
    // (a stat per file, on this planner thread), not later with a misleading parse error.
    const key = `${scan.table.source}\0${scan.table.table}`;
    if (!checked.has(key)) {
      checked.add(key);
      await checkTableUnchanged(scan.table, roots);
      if (scan.table.source !== MATERIALIZATION_SOURCE) freshness.push(await freshnessOf(scan.table, roots));
    }
    const scanRequest = { columns: scan.columns, filters: scan.filters, limit: scan.limit };
    const counters = emptyScanCounters();
    pruning.set(scan, counters);
    let planned: Split[];
    // Split planning reads footers and page counts: a corrupt file fails here as it would in a scan.
    onFile?.(locationFile(scan.table.location) ?? null);
    try {
      planned = await connectorFor(scan.table.sourceType).planSplits(scan.table, scanRequest, target, {
        roots,
        counters,
      });
    } catch (error) {
      throw sourceFileError(error, scan.table);
    } finally {
      onFile?.(null);
    }
    splits.set(scan, groupSplits(planned, target));
    const known = planned.every((s) => s.estimatedRows !== undefined);
    estimatedRows += known
      ? planned.reduce((n, s) => n + (s.estimatedRows ?? 0), 0)
      : (scan.table.statistics?.rowCount ?? scan.table.rowCount ?? Infinity);
  }
  const plan = fragmentPlan(physical, {
    partitions: Math.max(1, request.partitions),
    broadcastRowLimit: request.broadcastRowLimit,
    splitGroups: (scan) => splits.get(scan) ?? [],
  });
  const explain = statement.kind === 'explain';
  const stageScans = plan.stages.map((stage): StageScan | null => {
    const scan = stageScan(stage.root);
    if (!scan) return null;
    const counters = pruning.get(scan);
    return {
      table: `${scan.table.source}.${scan.table.table}`,
      pruned: counters && countedAnything(counters) ? counters : null,
    };
  });
  const explained = explainStages(plan, (stage) => stageScans[stage]?.pruned ?? undefined);
  return {
    kind: statement.kind,
    analyze: explain && statement.analyze,
    plan: scheduledPlan(plan),
    reads,
    viewColumnChanges,
    volatile,
    estimatedRows,
    stageScans,
    // A plan reading a reflection is kept while its base tables are unchanged (they are in its
    // freshness); one reading a stale reflection never is: its data grows older as it waits.
    freshness:
      cacheable(volatile, viewColumnChanges.length, freshness) &&
      !(acceleration?.chosen.some((c) => c.stalenessMs > 0) ?? false)
        ? [...freshness, ...(acceleration?.baseTables ?? [])]
        : null,
    acceleration,
    // Every job records its plan (the jobs API shows it), so every query is explained here,
    // on the planner thread, not only EXPLAIN; with a line per reflection planning considered.
    logical: printPlan(logical) + accelerationLines(acceleration),
    explained,
    explainText: formatExplain(explained),
  };
}
