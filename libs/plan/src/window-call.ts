import type { SqlType } from '@tributary/common';
import type { Expr } from './expr.ts';

export const WINDOW_FUNCTION_NAMES = [
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
  'count_star',
  'count',
  'sum',
  'avg',
  'min',
  'max',
] as const;

export type WindowFunctionName = (typeof WINDOW_FUNCTION_NAMES)[number];

/**
 * One edge of a window frame. `offset` is a row count (ROWS), a value in the ORDER BY key's
 * own unit (RANGE over numbers: DECIMAL keys count in the key's scale), or an interval
 * (RANGE over DATE/TIMESTAMP keys: whole months plus days plus microseconds).
 */
export type FrameBound =
  | { readonly kind: 'unbounded-preceding' }
  | { readonly kind: 'preceding'; readonly offset: FrameOffset }
  | { readonly kind: 'current-row' }
  | { readonly kind: 'following'; readonly offset: FrameOffset }
  | { readonly kind: 'unbounded-following' };

export type FrameOffset =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'interval'; readonly months: number; readonly days: number; readonly micros: number };

export interface WindowFrame {
  readonly units: 'rows' | 'range';
  readonly start: FrameBound;
  readonly end: FrameBound;
}

/**
 * One window function call. `args` are over the Window node's input: the value (and for
 * LAG/LEAD the offset and default, for NTILE the bucket count). Ranking functions and
 * LAG/LEAD ignore the frame, as in SQL.
 */
export interface WindowCall {
  readonly fn: WindowFunctionName;
  readonly args: readonly Expr[];
  readonly frame: WindowFrame;
  readonly type: SqlType;
  /** IGNORE NULLS (lag, lead, first_value, last_value, nth_value): rows with a NULL value are skipped. */
  readonly ignoreNulls?: boolean;
}

/** SQL's default frame: with ORDER BY up to the current row's last peer; without, the whole partition. */
export const DEFAULT_FRAME: WindowFrame = {
  units: 'range',
  start: { kind: 'unbounded-preceding' },
  end: { kind: 'current-row' },
};

function offsetToString(o: FrameOffset): string {
  if (o.kind === 'value') return String(o.value);
  const parts: string[] = [];
  if (o.months) parts.push(`${o.months} months`);
  if (o.days) parts.push(`${o.days} days`);
  if (o.micros || parts.length === 0) parts.push(`${o.micros} us`);
  return `INTERVAL '${parts.join(' ')}'`;
}

export function frameBoundToString(b: FrameBound): string {
  switch (b.kind) {
    case 'unbounded-preceding':
      return 'UNBOUNDED PRECEDING';
    case 'preceding':
      return `${offsetToString(b.offset)} PRECEDING`;
    case 'current-row':
      return 'CURRENT ROW';
    case 'following':
      return `${offsetToString(b.offset)} FOLLOWING`;
    case 'unbounded-following':
      return 'UNBOUNDED FOLLOWING';
  }
}

export function frameToString(f: WindowFrame): string {
  return `${f.units.toUpperCase()} BETWEEN ${frameBoundToString(f.start)} AND ${frameBoundToString(f.end)}`;
}
