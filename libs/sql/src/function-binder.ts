import { BindError, type SqlPosition } from '@tributary/common';
import type { Expr } from '@tributary/plan';

/** Binds a scalar function's call from its bound arguments; `name` is the name written. */
export type FunctionBinder = (args: Expr[], position: SqlPosition | undefined, name: string) => Expr;

/** Refuses a call with fewer than `min` or more than `max` arguments (WRONG_ARGUMENT_COUNT). */
export function arity(
  name: string,
  args: readonly Expr[],
  min: number,
  max: number,
  position: SqlPosition | undefined,
): void {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new BindError(
      'WRONG_ARGUMENT_COUNT',
      `function ${name}() takes ${wanted} argument(s), got ${args.length}`,
      { position },
    );
  }
}
