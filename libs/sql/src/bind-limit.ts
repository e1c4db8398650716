import { BindError } from '@tributary/common';
import { positionAtOffset, type BindContext, type TextRange } from './bind-context.ts';
import type { AstNode, AstSelect } from './sql-ast.ts';

const MAX_BIGINT = 2n ** 63n - 1n;

function constant(
  ctx: BindContext,
  node: AstNode | undefined,
  what: string,
  range: TextRange | undefined,
): number | null {
  if (!node || (node.type === 'origin' && String(node.value).toLowerCase() === 'all')) return null;
  const value = Number(node.value);
  // Up to BIGINT's largest, as DuckDB; beyond 2^53 rows no source has, so the count saturates.
  if ((node.type === 'number' || node.type === 'bigint') && Number.isInteger(value) && value >= 0) {
    if (BigInt(String(node.value)) <= MAX_BIGINT) return Math.min(value, Number.MAX_SAFE_INTEGER);
  }
  throw new BindError('TYPE_MISMATCH', `${what} must be a non-negative integer constant`, {
    position: range ? positionAtOffset(ctx, range.start) : undefined,
  });
}

/** LIMIT and OFFSET as constants; undefined when the query has neither. */
export function bindLimit(
  ctx: BindContext,
  ast: AstSelect,
  range: TextRange | undefined,
): { count: number | null; offset: number } | undefined {
  const nodes = ast.limit?.value ?? [];
  if (nodes.length === 0) return undefined;
  // `LIMIT a, b` (MySQL style, accepted by the parser) means OFFSET a LIMIT b.
  if (ast.limit?.seperator === ',')
    return {
      offset: constant(ctx, nodes[0], 'OFFSET', range) ?? 0,
      count: constant(ctx, nodes[1], 'LIMIT', range),
    };
  // A lone OFFSET arrives as one value with the `offset` separator.
  if (ast.limit?.seperator === 'offset' && nodes.length === 1)
    return { count: null, offset: constant(ctx, nodes[0], 'OFFSET', range) ?? 0 };
  return {
    count: constant(ctx, nodes[0], 'LIMIT', range),
    offset: constant(ctx, nodes[1], 'OFFSET', range) ?? 0,
  };
}
