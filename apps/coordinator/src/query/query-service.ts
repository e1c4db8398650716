import { randomUUID } from 'node:crypto';
import type { RecordBatch } from 'apache-arrow';
import type { CatalogStore } from '@tributary/catalog';
import { RequestError, VARCHAR, asTributaryError, makeRecordBatch } from '@tributary/common';
import {
  HashAggregate,
  LimitExec,
  TopN,
  buildPhysicalPlan,
  explainPhysical,
  isLeafFragment,
  type PhysicalOperator,
} from '@tributary/engine';
import { optimize } from '@tributary/optimizer';
import {
  limit,
  printPlan,
  type CatalogView,
  type Field,
  type LogicalPlan,
  type SourceType,
  type TableRef,
} from '@tributary/plan';
import { bindSql } from '@tributary/sql';
import type { ExecutorRegistry } from '../executors/executor-registry.ts';
import { RemoteFragmentExec } from './remote-fragment.ts';

export interface QueryRequest {
  readonly sql: unknown;
  readonly context?: unknown;
}

export interface QueryResult {
  readonly jobId: string;
  readonly fields: readonly Field[];
  readonly batches: AsyncIterable<RecordBatch>;
  readonly startedAt: number;
  /** Records the job's end in the catalog; call once, with the row count or the error. */
  finish(outcome: { rowCount: number } | { error: unknown }): void;
}

/**
 * The nodes whose row order reaches the client: from the root down through projections,
 * filters and limits. A scan there returns rows in file order, as DuckDB does (so `SELECT *
 * … LIMIT 5` gives the first five rows); below a sort, aggregate or join order is free.
 */
function orderedPath(plan: LogicalPlan): Set<LogicalPlan> {
  const path = new Set<LogicalPlan>();
  for (let node: LogicalPlan | undefined = plan; node;) {
    path.add(node);
    node =
      node.kind === 'project' || node.kind === 'filter' || node.kind === 'limit' ? node.input : undefined;
  }
  return path;
}

/** A snapshot of the catalog's tables for one query. */
function catalogView(catalog: CatalogStore): CatalogView {
  const types = new Map(catalog.listSources().map((s) => [s.name, s.type as SourceType]));
  const tables: TableRef[] = catalog.listTables().map((t) => ({
    source: t.source,
    table: t.name,
    sourceType: types.get(t.source) as SourceType,
    columns: t.columns,
    location: t.location,
    ...(t.rowCount === undefined ? {} : { rowCount: t.rowCount }),
  }));
  return { tables: () => tables };
}

function parseContext(context: unknown): string[] | undefined {
  if (context === undefined || context === null) return undefined;
  if (typeof context === 'string') return context === '' ? undefined : context.split('.');
  if (Array.isArray(context) && context.every((c) => typeof c === 'string')) return context as string[];
  throw new RequestError('INVALID_CONTEXT', '"context" must be a source name or a list of path parts');
}

/**
 * Runs SQL the designed way: bind against a catalog snapshot, optimize, build the physical
 * plan with every leaf fragment (scan + filters + projections) sent to the executors, and
 * finish the rest of the plan here over their Arrow streams.
 */
export class QueryService {
  constructor(
    private readonly catalog: CatalogStore,
    private readonly registry: ExecutorRegistry,
    private readonly splitsPerExecutor: number,
    private readonly executorWaitMs: number,
    private readonly roots: readonly string[],
  ) {}

  /**
   * Where the plan is cut: leaf fragments (scan + filters + projections) run on the
   * executors. Above one, an aggregate is split into partial aggregation there and final
   * aggregation here (DISTINCT aggregates cannot be merged from partial states, so they stay
   * whole here); a LIMIT, or ORDER BY … LIMIT, keeps only each executor's first
   * limit+offset rows there and the global ones here.
   */
  private distribute(
    node: LogicalPlan,
    queryId: string,
    ordered: ReadonlySet<LogicalPlan>,
  ): PhysicalOperator | undefined {
    const options = {
      queryId,
      registry: this.registry,
      splitsPerExecutor: this.splitsPerExecutor,
      executorWaitMs: this.executorWaitMs,
      roots: this.roots,
    };
    const inOrder = { ...options, preserveOrder: ordered.has(node) };
    if (
      node.kind === 'aggregate' &&
      isLeafFragment(node.input) &&
      node.aggregates.every((a) => !a.distinct)
    ) {
      const partialAggregate = { groupBy: node.groupBy, aggregates: node.aggregates };
      const remote = new RemoteFragmentExec(node.input, { ...options, partialAggregate });
      return new HashAggregate(remote, node.groupBy, node.aggregates, node.schema, 'final');
    }
    if (node.kind === 'limit' && node.limit !== null) {
      const perExecutor = node.limit + node.offset;
      const input = node.input;
      if (input.kind === 'sort' && isLeafFragment(input.input)) {
        const remote = new RemoteFragmentExec(limit(input, perExecutor), options);
        return new TopN(remote, input.keys, node.limit, node.offset);
      }
      if (isLeafFragment(input)) {
        return new LimitExec(
          new RemoteFragmentExec(limit(input, perExecutor), inOrder),
          node.limit,
          node.offset,
        );
      }
    }
    return isLeafFragment(node) ? new RemoteFragmentExec(node, inOrder) : undefined;
  }

  start(request: QueryRequest, signal: AbortSignal): QueryResult {
    if (typeof request.sql !== 'string' || request.sql.trim() === '') {
      throw new RequestError('INVALID_QUERY', 'request body must have a non-empty "sql" string');
    }
    const startedAt = Date.now();
    const jobId = randomUUID();
    const context = parseContext(request.context);
    this.catalog.recordJobStart({ id: jobId, sql: request.sql, context: context?.join('.') });
    const finish: QueryResult['finish'] = (outcome) => {
      if ('error' in outcome) {
        const error = asTributaryError(outcome.error);
        this.catalog.recordJobEnd(jobId, {
          state: signal.aborted ? 'cancelled' : 'failed',
          errorCode: error.code,
          errorMessage: error.message,
        });
      } else {
        this.catalog.recordJobEnd(jobId, { state: 'completed', rowCount: outcome.rowCount });
      }
    };
    try {
      const statement = bindSql(request.sql, catalogView(this.catalog), context ? { context } : {});
      const plan = optimize(statement.plan);
      const ordered = orderedPath(plan);
      const physical = buildPhysicalPlan(plan, {
        substitute: (node) => this.distribute(node, jobId, ordered),
      });
      if (statement.kind === 'explain') {
        const text = `Logical plan (optimized):\n${printPlan(plan)}\n\nPhysical plan:\n${explainPhysical(physical)}`;
        const fields: Field[] = [{ name: 'plan', type: VARCHAR, nullable: false }];
        const bytes = new TextEncoder().encode(text);
        const batch = makeRecordBatch(
          [{ name: 'plan', type: VARCHAR }],
          [{ type: VARCHAR, length: 1, values: bytes, offsets: new Int32Array([0, bytes.length]) }],
          1,
        );
        return {
          jobId,
          fields,
          batches: (async function* () {
            yield batch;
          })(),
          startedAt,
          finish,
        };
      }
      return { jobId, fields: plan.schema, batches: physical.execute(signal), startedAt, finish };
    } catch (error) {
      finish({ error });
      throw error;
    }
  }
}
