import { BindError, closestNames, type ColumnDescriptor, type SqlPosition } from '@tributary/common';
import type { CommandBinder, CommandInput } from './bind-command.ts';
import type { CatalogCommand, ReflectionDataset, ReflectionSpec } from './catalog-command.ts';
import { resolveRelation } from './resolve-table.ts';
import { TokenCursor, type ReadName } from './token-cursor.ts';

type MeasureFunction = ReflectionSpec['measures'][number]['functions'][number];
type Granularity = NonNullable<ReflectionSpec['dimensions'][number]['granularity']>;

const MEASURE_FUNCTIONS: readonly MeasureFunction[] = ['SUM', 'COUNT', 'MIN', 'MAX'];
const GRANULARITIES: readonly Granularity[] = ['day', 'month', 'year'];
/** A measure written without a list gets these (as Dremio does). */
const DEFAULT_MEASURES: readonly MeasureFunction[] = ['SUM', 'COUNT'];

/** A column name as written, with where. */
interface WrittenColumn {
  readonly text: string;
  readonly position: SqlPosition;
}

const invalid = (message: string, position?: SqlPosition, suggestions: string[] = []): BindError =>
  new BindError('INVALID_REFLECTION', message, { ...(position ? { position } : {}), suggestions });

/** The dataset named after ALTER TABLE|VIEW|DATASET, with its columns. */
function resolveDataset(
  input: CommandInput,
  name: ReadName,
): { dataset: ReflectionDataset; columns: readonly ColumnDescriptor[] } {
  const relation = resolveRelation(input.catalog, name.parts, input.defaultPath, name.position);
  switch (relation.kind) {
    case 'table':
      return {
        dataset: { kind: 'table', path: [relation.table.source, relation.table.table] },
        columns: relation.table.columns,
      };
    case 'view':
      return { dataset: { kind: 'view', path: relation.view.path }, columns: relation.view.columns };
    case 'system':
      throw invalid(
        `${name.parts.map((p) => p.text).join('.')} is a system table; reflections are defined on tables and views`,
        name.position,
      );
  }
}

/** One plain name (a reflection's or a column's). */
function simpleName(c: TokenCursor, what: string): WrittenColumn {
  const name = c.name(what);
  if (name.parts.length !== 1) throw invalid(`expected ${what}, not a dotted name`, name.position);
  return { text: name.parts[0].text, position: name.position };
}

/** `( item, item, … )`, each read by `item`. */
function list<T>(c: TokenCursor, item: () => T): T[] {
  c.expectSymbol('(');
  const items: T[] = [];
  do items.push(item());
  while (c.symbol(','));
  c.expectSymbol(')');
  return items;
}

/** The dataset's column a written name denotes (case-insensitively), spelled as the dataset does. */
function columnOf(
  columns: readonly ColumnDescriptor[],
  written: WrittenColumn,
  dataset: string,
): ColumnDescriptor {
  const exact = columns.find((c) => c.name === written.text);
  const found = exact ?? columns.find((c) => c.name.toLowerCase() === written.text.toLowerCase());
  if (found) return found;
  throw new BindError('COLUMN_NOT_FOUND', `column "${written.text}" not found in ${dataset}`, {
    position: written.position,
    suggestions: closestNames(
      written.text,
      columns.map((c) => c.name),
    ),
  });
}

function noDuplicates(names: readonly WrittenColumn[], columns: readonly string[], what: string): void {
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (seen.has(name)) throw invalid(`column "${name}" is listed twice in ${what}`, names[i].position);
    seen.add(name);
  });
}

/** What a refresh field may be (Dremio's list: BigInt, Int, Timestamp, Date, Varchar, Float, Double, Decimal). */
const ORDERED_KINDS = new Set([
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'DOUBLE',
  'FLOAT',
  'DECIMAL',
  'DATE',
  'TIMESTAMP',
  'VARCHAR',
]);

const isTemporal = (type: ColumnDescriptor['type']) => type.kind === 'DATE' || type.kind === 'TIMESTAMP';
const isNumeric = (type: ColumnDescriptor['type']) =>
  ['INTEGER', 'BIGINT', 'HUGEINT', 'DOUBLE', 'DECIMAL'].includes(type.kind);

/** `[PARTITION BY (…)] [LOCALSORT BY (…)]`: columns of the reflection (in either order, each once). */
function layout(
  c: TokenCursor,
  reflectionColumns: readonly string[],
): { partitionBy: string[]; localSortBy: string[] } {
  const out = { partitionBy: [] as string[], localSortBy: [] as string[] };
  const read = (what: string): string[] => {
    const written = list(c, () => simpleName(c, 'a column name'));
    return written.map((w) => {
      const found =
        reflectionColumns.find((r) => r === w.text) ??
        reflectionColumns.find((r) => r.toLowerCase() === w.text.toLowerCase());
      if (found === undefined)
        throw invalid(
          `${what} column "${w.text}" is not a column of the reflection (${reflectionColumns.join(', ')})`,
          w.position,
          closestNames(w.text, reflectionColumns),
        );
      return found;
    });
  };
  for (let seen = 0; seen < 2; seen++) {
    if (out.partitionBy.length === 0 && c.words('partition', 'by')) out.partitionBy = read('PARTITION BY');
    else if (out.localSortBy.length === 0 && c.words('localsort', 'by'))
      out.localSortBy = read('LOCALSORT BY');
  }
  // Dremio's ARROW CACHE asks for an in-memory format Tributary's files do not need: accepted, ignored.
  c.words('arrow', 'cache');
  c.expectEnd();
  return out;
}

function createRaw(
  c: TokenCursor,
  name: string,
  columns: readonly ColumnDescriptor[],
  dataset: string,
): ReflectionSpec {
  c.expect('using', 'display');
  const written = list(c, () => simpleName(c, 'a column name'));
  const displayColumns = written.map((w) => columnOf(columns, w, dataset).name);
  noDuplicates(written, displayColumns, 'DISPLAY');
  return { name, type: 'RAW', displayColumns, dimensions: [], measures: [], ...layout(c, displayColumns) };
}

function createAggregate(
  c: TokenCursor,
  name: string,
  columns: readonly ColumnDescriptor[],
  dataset: string,
): ReflectionSpec {
  c.expect('using');
  const dimensions: { column: string; granularity?: Granularity }[] = [];
  const measures: { column: string; functions: MeasureFunction[] }[] = [];
  const dimensionNames: WrittenColumn[] = [];
  const measureNames: WrittenColumn[] = [];
  if (c.words('dimensions'))
    list(c, () => {
      const written = simpleName(c, 'a column name');
      const column = columnOf(columns, written, dataset);
      dimensionNames.push(written);
      if (!c.words('by')) return dimensions.push({ column: column.name });
      const word = c.peekWord()?.toLowerCase() ?? '';
      if (!GRANULARITIES.includes(word as Granularity))
        throw c.error(
          `expected DAY, MONTH or YEAR${closestNames(word, GRANULARITIES, 1)
            .map((g) => ` (did you mean ${g.toUpperCase()}?)`)
            .join('')}`,
        );
      c.words(word);
      if (!isTemporal(column.type))
        throw invalid(
          `dimension "${column.name}" is ${column.type.kind}; only a DATE or TIMESTAMP is truncated BY ${word.toUpperCase()}`,
          written.position,
        );
      return dimensions.push({ column: column.name, granularity: word as Granularity });
    });
  if (c.words('measures'))
    list(c, () => {
      const written = simpleName(c, 'a column name');
      const column = columnOf(columns, written, dataset);
      measureNames.push(written);
      const functions: MeasureFunction[] = [];
      if (c.symbol('(')) {
        do {
          const word = c.peekWord()?.toUpperCase() ?? '';
          if (!MEASURE_FUNCTIONS.includes(word as MeasureFunction))
            throw c.error(
              `expected a measure (${MEASURE_FUNCTIONS.join(', ')})${word === 'APPROXIMATE' ? '; APPROXIMATE COUNT DISTINCT is not supported' : ''}`,
            );
          c.words(word.toLowerCase());
          if (word === 'SUM' && !isNumeric(column.type))
            throw invalid(`SUM of "${column.name}" (${column.type.kind}) is not defined`, written.position);
          if (!functions.includes(word as MeasureFunction)) functions.push(word as MeasureFunction);
        } while (c.symbol(','));
        c.expectSymbol(')');
      } else {
        functions.push(...DEFAULT_MEASURES.filter((f) => f !== 'SUM' || isNumeric(column.type)));
      }
      measures.push({ column: column.name, functions });
    });
  if (dimensions.length === 0 && measures.length === 0)
    throw c.error('expected DIMENSIONS (…) or MEASURES (…)');
  noDuplicates(
    dimensionNames,
    dimensions.map((d) => d.column),
    'DIMENSIONS',
  );
  noDuplicates(
    measureNames,
    measures.map((m) => m.column),
    'MEASURES',
  );
  return {
    name,
    type: 'AGGREGATION',
    displayColumns: [],
    dimensions,
    measures,
    ...layout(
      c,
      dimensions.map((d) => d.column),
    ),
  };
}

/**
 * Dremio's reflection statements, read with the token cursor (node-sql-parser has no grammar
 * for them) and checked against the dataset's columns:
 *
 *   ALTER { TABLE | VIEW | DATASET } x
 *     CREATE RAW REFLECTION r USING DISPLAY (a, b) [PARTITION BY (a)] [LOCALSORT BY (b)]
 *   | CREATE AGGREGATE REFLECTION r USING [DIMENSIONS (a, d BY DAY|MONTH|YEAR)]
 *       [MEASURES (c (SUM, COUNT, MIN, MAX), e)] [PARTITION BY (…)] [LOCALSORT BY (…)]
 *   | DROP REFLECTION r
 *   | REFRESH REFLECTIONS
 *   | REFRESH METHOD { FULL | INCREMENTAL BY c }
 *   | { ENABLE | DISABLE } REFLECTION r
 *   | { ENABLE | DISABLE } { RAW | AGGREGATE } ACCELERATION
 *
 * PARTITION BY and LOCALSORT BY name columns of the reflection (display columns, or
 * dimensions); a measure with no list gets SUM and COUNT (COUNT alone for a non-number).
 */
export const bindReflectionCommand: CommandBinder = (input): CatalogCommand | undefined => {
  const c = new TokenCursor(input.sql, input.tokens);
  if (!c.words('alter')) return undefined;
  if (!c.words('table') && !c.words('view') && !c.words('dataset')) return undefined;
  const datasetName = c.name('a table or view name');
  const { dataset, columns } = resolveDataset(input, datasetName);
  const shown = dataset.path.join('.');
  if (c.words('create')) {
    const type = c.words('raw') ? 'RAW' : c.words('aggregate') ? 'AGGREGATION' : undefined;
    if (!type) throw c.error('expected RAW or AGGREGATE');
    c.expect('reflection');
    const name = simpleName(c, 'a reflection name').text;
    const reflection =
      type === 'RAW' ? createRaw(c, name, columns, shown) : createAggregate(c, name, columns, shown);
    return { kind: 'create_reflection', dataset, reflection };
  }
  if (c.words('drop', 'reflection')) {
    const name = simpleName(c, 'a reflection name').text;
    c.expectEnd();
    return { kind: 'drop_reflection', dataset, name };
  }
  if (c.words('refresh', 'reflections')) {
    c.expectEnd();
    return { kind: 'refresh_reflections', dataset };
  }
  if (c.words('refresh', 'method')) {
    if (c.words('full')) {
      c.expectEnd();
      return { kind: 'refresh_method', dataset, refreshField: null };
    }
    if (!c.words('incremental')) throw c.error('expected FULL or INCREMENTAL BY a column');
    c.expect('by');
    const written = simpleName(c, 'a column name');
    const column = columnOf(columns, written, shown);
    if (!ORDERED_KINDS.has(column.type.kind))
      throw invalid(
        `refresh field "${column.name}" is ${column.type.kind}; it must be a number, a date, a timestamp or text whose values grow as rows are added`,
        written.position,
      );
    c.expectEnd();
    return { kind: 'refresh_method', dataset, refreshField: column.name };
  }
  const enabled = c.words('enable') ? true : c.words('disable') ? false : undefined;
  if (enabled === undefined)
    throw c.error('expected CREATE, DROP REFLECTION, REFRESH REFLECTIONS, REFRESH METHOD, ENABLE or DISABLE');
  if (c.words('reflection')) {
    const name = simpleName(c, 'a reflection name').text;
    c.expectEnd();
    return { kind: 'enable_reflections', dataset, enabled, target: { name } };
  }
  const type = c.words('raw') ? 'RAW' : c.words('aggregate') ? 'AGGREGATION' : undefined;
  if (!type) throw c.error('expected REFLECTION, RAW or AGGREGATE');
  c.expect('acceleration');
  c.expectEnd();
  return { kind: 'enable_reflections', dataset, enabled, target: { type } };
};
