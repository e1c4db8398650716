import { typeToString } from '@tributary/common';
import {
  definingSql,
  quoteSqlIdentifier,
  type BaseTableSnapshot,
  type RefreshFieldMark,
  type ReflectionRecord,
  type StoredMaterialization,
} from '@tributary/reflections';
import type { QueryService } from '../query/query-service.ts';

/** What a build by refresh field reads, and where it leaves the mark. */
export interface RefreshFieldRange {
  /** Over the dataset's columns: the rows this build reads. */
  readonly where: string;
  readonly mark: RefreshFieldMark;
  /** The serving copy this build appends to; undefined: a full build. */
  readonly appendTo: StoredMaterialization | undefined;
  /** Why it rebuilds in full although it had a mark (for the log); undefined otherwise. */
  readonly fullBecause?: string;
}

const quoteText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The mark's maximum as a value of the column's type, in SQL. */
const valueOf = (max: string, type: string): string => `CAST(${quoteText(max)} AS ${type})`;

/** The definition a mark was made under: the defining query and the files' layout (a new layout rebuilds in full). */
export function definedAsOf(reflection: ReflectionRecord): string {
  const { partitionBy, localSortBy } = reflection;
  const layout =
    partitionBy.length + localSortBy.length > 0 ? ` ${JSON.stringify({ partitionBy, localSortBy })}` : '';
  return `${definingSql(reflection)}${layout}`;
}

/** One row of a probe's answer, by column name. */
async function probeRow(
  queries: Pick<QueryService, 'start'>,
  sql: string,
  owner: string | null,
  signal: AbortSignal,
): Promise<{ values: Record<string, unknown>; types: Record<string, string> }> {
  const job = queries.start(
    {
      sql,
      queryType: 'INTERNAL',
      options: { reflections: false },
      ...(owner === null ? {} : { user: owner }),
    },
    signal,
  );
  const result = await job.result;
  const values: Record<string, unknown> = {};
  let rows = 0;
  try {
    for await (const batch of result.batches) {
      if (rows === 0 && batch.numRows > 0)
        result.fields.forEach((f, i) => (values[f.name] = batch.getChildAt(i)?.get(0)));
      rows += batch.numRows;
    }
    result.finish({ rowCount: rows });
  } catch (error) {
    result.finish({ error });
    throw error;
  }
  const types = Object.fromEntries(result.fields.map((f) => [f.name, typeToString(f.type)]));
  return { values, types };
}

/**
 * The range a build of a reflection with a refresh field reads: one probe of its dataset (a
 * job like the build, from the sources) takes the column's maximum and the row count now,
 * and, when the serving copy was built by this field from this definition, checks that the
 * rows it read are all still there (as many up to its mark) and the maximum did not go down.
 * Then only the rows above the mark and up to the new maximum are read and appended; else
 * all rows up to the new maximum (and those with no value). Bounding by the maximum the
 * probe saw keeps rows added meanwhile for the next build, never read twice. Undefined: the
 * reflection has no refresh field, or its dataset reads more than one table (a join does not
 * grow by one table's new rows alone).
 */
export async function refreshFieldRange(
  reflection: ReflectionRecord,
  snapshot: readonly BaseTableSnapshot[],
  queries: Pick<QueryService, 'start'>,
  signal: AbortSignal,
): Promise<RefreshFieldRange | undefined> {
  const field = reflection.refreshPolicy.refreshField;
  if (!field || snapshot.length !== 1) return undefined;
  const definedAs = definedAsOf(reflection);
  const column = quoteSqlIdentifier(field);
  const dataset = reflection.datasetPath.map(quoteSqlIdentifier).join('.');
  const previous = reflection.materialization;
  const before = previous?.snapshot.length === 1 ? previous.snapshot[0].refreshField : undefined;
  const [now] = snapshot;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const comparable =
    previous !== null &&
    before !== undefined &&
    before.max !== null &&
    same(before.column, field) &&
    before.definedAs === definedAs &&
    same(previous.snapshot[0].source, now.source) &&
    same(previous.snapshot[0].table, now.table);
  const checks =
    comparable && before.max !== null
      ? `, sum(CASE WHEN ${column} <= ${valueOf(before.max, before.type)} OR ${column} IS NULL THEN 1 ELSE 0 END) AS "upto", ` +
        `max(${column}) < ${valueOf(before.max, before.type)} AS "down"`
      : '';
  const { values, types } = await probeRow(
    queries,
    `SELECT max(${column}) AS "m", CAST(max(${column}) AS VARCHAR) AS "max", count(*) AS "n"${checks} FROM ${dataset}`,
    reflection.owner,
    signal,
  );
  const max = values.max === null || values.max === undefined ? null : String(values.max);
  const mark: RefreshFieldMark = {
    column: field,
    max,
    type: types.m,
    rows: Number(values.n ?? 0),
    definedAs,
  };
  const upTo =
    max === null ? `${column} IS NULL` : `(${column} <= ${valueOf(max, mark.type)} OR ${column} IS NULL)`;
  if (!comparable || before.max === null) return { where: upTo, mark, appendTo: undefined };
  const fullBecause =
    values.down === true
      ? `its maximum of ${field} went down below ${before.max}`
      : Number(values.upto ?? 0) !== before.rows
        ? `its dataset no longer has the ${before.rows} rows up to ${field} = ${before.max} the last build read`
        : undefined;
  if (fullBecause !== undefined || max === null)
    return { where: upTo, mark, appendTo: undefined, fullBecause };
  return {
    where: `${column} > ${valueOf(before.max, before.type)} AND ${column} <= ${valueOf(max, mark.type)}`,
    mark,
    appendTo: previous,
  };
}
