import { closing, isSymbol, isWord, type SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

/**
 * Aggregates node-sql-parser's grammar reads itself, with DISTINCT and FILTER; every other
 * aggregate it reads as a plain function call, which takes neither.
 */
const GRAMMAR_AGGREGATES = new Set(['count', 'string_agg', 'array_agg', 'group_concat']);
/** The aggregates whose FILTER clause the grammar reads itself (its aggregates and SUM/AVG/MIN/MAX). */
const GRAMMAR_FILTERED = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'string_agg',
  'array_agg',
  'group_concat',
]);
/** The aggregates whose ORDER BY inside the call the grammar reads itself. */
const GRAMMAR_ORDERED = new Set(['string_agg', 'array_agg', 'group_concat']);

/** A clause cut out of the text (a FILTER condition, an ORDER BY): where it is written, to be parsed on its own. */
export interface FilterCondition {
  readonly start: number;
  readonly end: number;
}

/** The clauses cut out of aggregate calls, keyed by the offset where the call's name starts. */
export interface AggregateCallClauses {
  readonly text: string;
  /** Calls written `f(DISTINCT …)`. */
  readonly distinct: ReadonlySet<number>;
  /** Calls written `f(…) FILTER (WHERE c)`: where `c` is. */
  readonly filtered: ReadonlyMap<number, FilterCondition>;
  /** Calls written `f(x ORDER BY k)`: where `ORDER BY k` is. */
  readonly ordered: ReadonlyMap<number, FilterCondition>;
}

/** A FILTER condition longer than this stays (a long IN list in it is cut out by elideLiteralLists). */
const MAX_CUT_CONDITION_TOKENS = 100;

/** The `ORDER` of an `ORDER BY` at the top level of the call's parentheses (open, close), or -1. */
function orderByInCall(tokens: readonly SqlToken[], open: number, close: number): number {
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k];
    if (isSymbol(t, '(') || isSymbol(t, '[')) depth++;
    else if (isSymbol(t, ')') || isSymbol(t, ']')) depth--;
    else if (depth === 0 && isWord(t, 'order') && isWord(tokens[k + 1], 'by')) return k;
  }
  return -1;
}

/**
 * Cuts `DISTINCT`, `FILTER (WHERE c)` and `ORDER BY k` (DuckDB's `first(x ORDER BY k)`) out
 * of calls of aggregates `f` the grammar does not read them for, blanking them (offsets stay
 * the user's). The parse then marks the calls, and parses each cut clause by itself (the
 * grammar mangles AND/OR inside call arguments).
 */
export function cutAggregateClauses(
  text: string,
  tokens: readonly SqlToken[],
  aggregates: ReadonlySet<string>,
): AggregateCallClauses {
  const distinct = new Set<number>();
  const filtered = new Map<number, FilterCondition>();
  const ordered = new Map<number, FilterCondition>();
  let out = text;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const name = tokens[i];
    if (name.kind !== 'word' || !isSymbol(tokens[i + 1], '(') || isSymbol(tokens[i - 1], '.')) continue;
    const lower = name.text.toLowerCase();
    if (!aggregates.has(lower)) continue;
    if (!GRAMMAR_AGGREGATES.has(lower) && isWord(tokens[i + 2], 'distinct')) {
      distinct.add(name.offset);
      out = overwrite(out, tokens[i + 2].offset, tokens[i + 2].end);
    }
    const close = closing(tokens, i + 1);
    if (close < 0) continue;
    const order = GRAMMAR_ORDERED.has(lower) ? -1 : orderByInCall(tokens, i + 1, close);
    if (order >= 0) {
      ordered.set(name.offset, { start: tokens[order].offset, end: tokens[close - 1].end });
      out = overwrite(out, tokens[order].offset, tokens[close - 1].end);
    }
    if (GRAMMAR_FILTERED.has(lower)) continue;
    if (!isWord(tokens[close + 1], 'filter') || !isSymbol(tokens[close + 2], '(')) continue;
    if (!isWord(tokens[close + 3], 'where')) continue;
    const end = closing(tokens, close + 2);
    if (end < 0 || end === close + 4 || end - close > MAX_CUT_CONDITION_TOKENS) continue;
    filtered.set(name.offset, { start: tokens[close + 4].offset, end: tokens[end - 1].end });
    out = overwrite(out, tokens[close + 1].offset, tokens[end].end);
  }
  return { text: out, distinct, filtered, ordered };
}

interface CallNode {
  type?: unknown;
  loc?: { start?: { offset?: number } };
  args?: { distinct?: unknown; orderby?: unknown };
  filter?: unknown;
}

/**
 * Marks the parsed calls found by cutAggregateClauses: `args.distinct`, `filter.where` from
 * `parseCondition` of the cut condition and `args.orderby` from `parseOrderBy` of the cut ORDER BY.
 */
export function markAggregateClauses(
  value: unknown,
  clauses: AggregateCallClauses,
  parseCondition: (condition: FilterCondition) => unknown,
  parseOrderBy: (orderBy: FilterCondition) => unknown,
): void {
  if (Array.isArray(value)) {
    for (const v of value) markAggregateClauses(v, clauses, parseCondition, parseOrderBy);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as CallNode;
  const start = node.loc?.start?.offset;
  if ((node.type === 'aggr_func' || node.type === 'function') && start !== undefined && node.args) {
    if (clauses.distinct.has(start)) node.args.distinct = 'DISTINCT';
    const condition = clauses.filtered.get(start);
    if (condition) node.filter = { keyword: 'filter', parentheses: true, where: parseCondition(condition) };
    const orderBy = clauses.ordered.get(start);
    if (orderBy) node.args.orderby = parseOrderBy(orderBy);
  }
  for (const [k, v] of Object.entries(node))
    if (k !== 'loc' && k !== 'filter') markAggregateClauses(v, clauses, parseCondition, parseOrderBy);
}
