import {
  BIGINT,
  BindError,
  DOUBLE,
  INTEGER,
  isInteger,
  isNumeric,
  powerOfTen,
  typeToString,
  type SqlPosition,
  type SqlType,
} from '@tributary/common';
import {
  column,
  DEFAULT_FRAME,
  referencedColumns,
  type Expr,
  type FrameBound,
  type FrameOffset,
  type SortKey,
  type WindowFrame,
  type WindowFunctionName,
} from '@tributary/plan';
import type { TextRange } from './bind-context.ts';
import type { ExprBinder } from './bind-expr.ts';
import { castTo } from './coerce.ts';
import { windowCallName } from './expr-name.ts';
import { argList, functionName, type AstArgs, type AstNode } from './sql-ast.ts';
import { sumType } from './sum-type.ts';
import { parseIntervalText } from './sql-interval.ts';
import type {
  AstFrame,
  AstFrameBound,
  AstFrameOffset,
  AstWindowCall,
  AstWindowSpec,
} from './window-syntax.ts';
import { WINDOW_PLACEHOLDER_BASE, type WindowState } from './window-state.ts';

const RANKING = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist']);
const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max']);
const VALUES = new Set(['first_value', 'last_value']);
/** The functions IGNORE NULLS applies to: those that pick another row's value. */
const NULL_SKIPPING = new Set<WindowFunctionName>(['lag', 'lead', 'first_value', 'last_value', 'nth_value']);

const MICROS_PER_DAY = 86_400_000_000;
/**
 * The result type of an aggregate over a window frame, as DuckDB types it (and as the plain
 * aggregate is typed): SUM of integers (or of NULL) is a 128-bit HUGEINT, of DECIMAL(p,s)
 * DECIMAL(38,s); AVG is DOUBLE; MIN and MAX keep their argument's type.
 */
function windowAggregateType(fn: WindowFunctionName, arg: Expr | undefined): SqlType {
  if (fn === 'count' || fn === 'count_star') return BIGINT;
  const t = (arg as Expr).type;
  if (fn === 'avg') return DOUBLE;
  if (fn === 'sum') return sumType(t);
  // DuckDB's result column of min/max(NULL) over a table is INTEGER.
  return t.kind === 'NULL' ? INTEGER : t;
}

/** Binds a frame edge's offset against the ORDER BY key it measures (RANGE) or as a row count (ROWS). */
function bindOffset(
  offset: AstFrameOffset,
  units: 'rows' | 'range',
  orderBy: readonly SortKey[],
  position: SqlPosition,
): FrameOffset {
  const invalid = (message: string): BindError =>
    new BindError('INVALID_WINDOW_FRAME', message, { position });
  if (units === 'rows') {
    if (offset.kind !== 'number' || !Number.isInteger(offset.value) || offset.value < 0)
      throw invalid('a ROWS frame offset must be a non-negative integer');
    return { kind: 'value', value: offset.value };
  }
  if (orderBy.length !== 1) throw invalid('a RANGE frame with an offset needs exactly one ORDER BY key');
  const keyType = orderBy[0].expr.type;
  if (offset.kind === 'interval') {
    const interval = parseIntervalText(offset.text, offset.unit, { fractions: true });
    if (!interval) throw invalid(`invalid INTERVAL '${offset.text}' ${offset.unit}`.trim());
    if (keyType.kind !== 'DATE' && keyType.kind !== 'TIMESTAMP')
      throw invalid(
        `an INTERVAL frame offset needs a DATE or TIMESTAMP ORDER BY key, not ${typeToString(keyType)}`,
      );
    if (interval.months < 0 || interval.days < 0 || interval.micros < 0)
      throw invalid('a RANGE frame offset must not be negative');
    if (keyType.kind === 'DATE' && interval.micros % MICROS_PER_DAY !== 0)
      throw invalid('a RANGE frame over a DATE key must shift by whole days');
    return { kind: 'interval', ...interval };
  }
  if (offset.value < 0) throw invalid('a RANGE frame offset must not be negative');
  if (keyType.kind === 'DECIMAL') {
    const scaled = offset.value * powerOfTen(keyType.scale);
    if (!Number.isInteger(Math.round(scaled * 1e6) / 1e6))
      throw invalid(`frame offset ${offset.value} has more digits than the key's scale ${keyType.scale}`);
    return { kind: 'value', value: Math.round(scaled) };
  }
  if (keyType.kind === 'DATE') {
    if (!Number.isInteger(offset.value))
      throw invalid('a RANGE frame over a DATE key must shift by whole days');
    return { kind: 'value', value: offset.value };
  }
  if (!isNumeric(keyType))
    throw invalid(
      `a RANGE frame with an offset needs a numeric or temporal ORDER BY key, not ${typeToString(keyType)}`,
    );
  if ((keyType.kind === 'INTEGER' || keyType.kind === 'BIGINT') && !Number.isInteger(offset.value))
    throw invalid(`frame offset ${offset.value} is not an integer like the ORDER BY key`);
  return { kind: 'value', value: offset.value };
}

function bindBound(b: AstFrameBound, units: 'rows' | 'range', orderBy: readonly SortKey[]): FrameBound {
  if (b.kind === 'preceding' || b.kind === 'following')
    return { kind: b.kind, offset: bindOffset(b.offset!, units, orderBy, b.position) };
  return { kind: b.kind };
}

const BOUND_RANK: Record<FrameBound['kind'], number> = {
  'unbounded-preceding': 0,
  preceding: 1,
  'current-row': 2,
  following: 3,
  'unbounded-following': 4,
};

function bindFrame(frame: AstFrame | null, orderBy: readonly SortKey[]): WindowFrame {
  if (!frame) {
    if (orderBy.length > 0) return DEFAULT_FRAME;
    return { units: 'rows', start: { kind: 'unbounded-preceding' }, end: { kind: 'unbounded-following' } };
  }
  const start = bindBound(frame.start, frame.units, orderBy);
  const end = bindBound(frame.end, frame.units, orderBy);
  if (start.kind === 'unbounded-following')
    throw new BindError('INVALID_WINDOW_FRAME', 'a frame cannot start at UNBOUNDED FOLLOWING', {
      position: frame.start.position,
    });
  if (end.kind === 'unbounded-preceding')
    throw new BindError('INVALID_WINDOW_FRAME', 'a frame cannot end at UNBOUNDED PRECEDING', {
      position: frame.end.position,
    });
  if (
    BOUND_RANK[start.kind] > BOUND_RANK[end.kind] &&
    !(start.kind === 'following' && end.kind === 'following')
  )
    throw new BindError('INVALID_WINDOW_FRAME', 'a frame cannot start after it ends', {
      position: frame.start.position,
    });
  return { units: frame.units, start, end };
}

function callArguments(call: AstNode): AstNode[] {
  if (call.type === 'aggr_func') {
    const expr = (call.args as AstArgs | undefined)?.expr;
    if (!expr || expr.type === 'star' || (expr.type === 'column_ref' && expr.column === '*')) return [];
    return [expr];
  }
  return argList(call);
}

function isDistinctCall(call: AstNode): boolean {
  const d = (call.args as AstArgs | undefined)?.distinct;
  return typeof d === 'string' && d.toUpperCase() === 'DISTINCT';
}

/**
 * Binds `f(args) OVER (…)` with `binder` (so above a GROUP BY, arguments and keys may be
 * aggregates or group keys) and registers it in `state`; returns its placeholder column.
 */
export function bindWindowCall(
  binder: ExprBinder,
  node: AstWindowCall,
  range: TextRange | undefined,
  state: WindowState,
): Expr {
  const call = node.call;
  const lower = (call.type === 'function' ? functionName(call) : String(call.name)).toLowerCase();
  const position = binder.position(call, range);
  const fail = (code: string, message: string): BindError => new BindError(code, message, { position });
  const argNodes = callArguments(call);
  const spec: AstWindowSpec = node.window;
  const partitionBy = spec.partitionBy.map((p) => binder.bind(p, range));
  const orderBy = spec.orderBy.map((o): SortKey => ({
    expr: binder.bind(o.expr, range),
    ascending: o.ascending,
    nullsFirst: o.nullsFirst ?? false,
  }));
  const args = argNodes.map((a) => binder.bind(a, range));
  if ([...partitionBy, ...orderBy.map((k) => k.expr), ...args].some(readsWindow))
    throw fail('INVALID_WINDOW', 'window function calls cannot be nested');
  if (isDistinctCall(call))
    throw fail('UNSUPPORTED_FEATURE', `DISTINCT in window function ${lower}() is not supported yet`);
  const arity = (min: number, max: number): void => {
    if (args.length < min || args.length > max)
      throw fail(
        'WRONG_ARGUMENT_COUNT',
        `window function ${lower}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}`,
      );
  };
  let fn: WindowFunctionName;
  let type: SqlType;
  let boundArgs = args;
  if (RANKING.has(lower)) {
    arity(0, 0);
    fn = lower as WindowFunctionName;
    type = lower === 'percent_rank' || lower === 'cume_dist' ? DOUBLE : BIGINT;
  } else if (lower === 'ntile') {
    arity(1, 1);
    fn = 'ntile';
    type = BIGINT;
    if (args[0].type.kind !== 'INTEGER' && args[0].type.kind !== 'BIGINT')
      throw fail('TYPE_MISMATCH', `ntile() needs an integer bucket count, not ${typeToString(args[0].type)}`);
    boundArgs = [castTo(args[0], BIGINT, position)];
  } else if (lower === 'lag' || lower === 'lead') {
    arity(1, 3);
    fn = lower;
    type = args[0].type;
    const offset = args[1] ?? { kind: 'literal', value: 1, type: BIGINT };
    if (offset.type.kind !== 'INTEGER' && offset.type.kind !== 'BIGINT' && offset.type.kind !== 'NULL')
      throw fail('TYPE_MISMATCH', `${lower}() needs an integer offset, not ${typeToString(offset.type)}`);
    boundArgs = [args[0], castTo(offset, BIGINT, position)];
    if (args[2]) boundArgs.push(castTo(args[2], type, position));
  } else if (VALUES.has(lower)) {
    arity(1, 1);
    fn = lower as WindowFunctionName;
    type = args[0].type;
  } else if (lower === 'nth_value') {
    arity(2, 2);
    fn = 'nth_value';
    type = args[0].type;
    if (!isInteger(args[1].type) && args[1].type.kind !== 'NULL')
      throw fail('TYPE_MISMATCH', `nth_value() needs an integer position, not ${typeToString(args[1].type)}`);
    boundArgs = [args[0], castTo(args[1], BIGINT, position)];
  } else if (AGGREGATES.has(lower)) {
    if (lower === 'count' && args.length === 0) fn = 'count_star';
    else {
      arity(1, 1);
      fn = lower as WindowFunctionName;
      if ((fn === 'sum' || fn === 'avg') && !isNumeric(args[0].type) && args[0].type.kind !== 'NULL')
        throw fail('TYPE_MISMATCH', `${fn}() needs a numeric argument, not ${typeToString(args[0].type)}`);
    }
    type = windowAggregateType(fn, args[0]);
  } else {
    throw new BindError('UNSUPPORTED_FEATURE', `window function ${lower}() is not supported`, {
      position,
      details: { feature: `${lower}() OVER` },
    });
  }
  const ignoreNulls = spec.ignoreNulls === true;
  if (ignoreNulls && !NULL_SKIPPING.has(fn))
    throw fail('UNSUPPORTED_FEATURE', `IGNORE NULLS is not supported for ${lower}()`);
  const frame = bindFrame(spec.frame, orderBy);
  const name = windowCallName(node);
  const windowCall = { fn, args: boundArgs, frame, type, ...(ignoreNulls ? { ignoreNulls } : {}) };
  const index = state.add({ call: windowCall, partitionBy, orderBy, name });
  return column(index, name, type);
}

function readsWindow(e: Expr): boolean {
  for (const c of referencedColumns(e)) if (c >= WINDOW_PLACEHOLDER_BASE) return true;
  return false;
}
