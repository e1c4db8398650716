import { markedOperatorOf } from './marked-operators.ts';
import type { AstNode } from './sql-ast.ts';
import { walkAst, type MutableAstNode } from './walk-ast.ts';

/**
 * How tightly each operator of an arithmetic chain binds, as in DuckDB and PostgreSQL: `^` and
 * `**` over `*`, `/` and `%`, over `+` and `-`, over `||` and the bitwise operators
 * (PostgreSQL's "any other operator"); all associate to the left.
 */
const PRECEDENCE: Readonly<Record<string, number>> = {
  '^': 4,
  '**': 4,
  '*': 3,
  '/': 3,
  '%': 3,
  '+': 2,
  '-': 2,
  '||': 1,
  '&': 1,
  '|': 1,
  '<<': 1,
  '>>': 1,
};

const isChainLink = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  (value as AstNode).type === 'binary_expr' &&
  String((value as AstNode).operator) in PRECEDENCE;

/** `~x`, DuckDB's bitwise NOT: a prefix operator as loose as `||` (`~5 + 1` is `~(5 + 1)`). */
const isBitwiseNot = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  (value as AstNode).type === 'unary_expr' &&
  (value as AstNode).operator === '~' &&
  !(value as AstNode).parentheses;

/** The grammar binds LIKE tighter than `||` (`x LIKE 'a' || '%'` as `(x LIKE 'a') || '%'`). */
const LIKES = new Set(['LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE']);

const isLike = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  (value as AstNode).type === 'binary_expr' &&
  LIKES.has(String((value as AstNode).operator).toUpperCase()) &&
  !(value as AstNode).parentheses;

/** `-1::BIGINT` as the grammar reads it: a cast of the number -1. */
function isCastOfNegativeNumber(node: MutableAstNode): boolean {
  const operand = node.expr as AstNode | undefined;
  if (node.type !== 'cast' || node.symbol !== '::' || operand?.type !== 'number' || operand.parentheses)
    return false;
  return String(operand.value).startsWith('-');
}

/**
 * `::` binds tighter than a unary minus, in DuckDB as in PostgreSQL: `-1::BIGINT` is
 * `-(CAST(1 AS BIGINT))` (named so; `-128::TINYINT` overflows). The cast becomes the operand
 * of a minus, in place.
 */
function castBeforeMinus(node: MutableAstNode): void {
  const operand = node.expr as MutableAstNode;
  const positive = String(operand.value).slice(1);
  const cast = {
    ...node,
    expr: { ...operand, value: typeof operand.value === 'number' ? Number(positive) : positive },
  };
  for (const key of Object.keys(node)) if (key !== 'loc') delete node[key];
  Object.assign(node, { type: 'unary_expr', operator: '-', expr: cast });
}

/** One item of a chain as written: an operand, a binary operator, or a prefix `~` (its node). */
type Item =
  | { readonly kind: 'operand'; readonly node: AstNode }
  | { readonly kind: 'binary'; readonly op: string }
  | { readonly kind: 'prefix'; readonly node: AstNode };

/**
 * The items of the chain rooted at `root`, in the order they were written: its links are the
 * unparenthesized arithmetic, `||` and `~` nodes under it.
 */
function flatten(root: AstNode): Item[] {
  const items: Item[] = [];
  // In-order, iteratively: a node is visited as (left, op, right).
  const stack: ({ node: AstNode } | { item: Item })[] = [{ node: root }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if ('item' in top) {
      items.push(top.item);
      continue;
    }
    const { node } = top;
    if (isChainLink(node) && (node === root || !node.parentheses))
      stack.push(
        { node: node.right as AstNode },
        { item: { kind: 'binary', op: String(node.operator) } },
        { node: node.left as AstNode },
      );
    else if (isBitwiseNot(node))
      stack.push({ node: node.expr as AstNode }, { item: { kind: 'prefix', node } });
    else items.push({ kind: 'operand', node });
  }
  return items;
}

/** `||`, a marker call and `||` in a row are the bitwise operator the marker stands for. */
function foldMarkers(items: Item[]): void {
  for (let k = 1; k < items.length - 1; k++) {
    const [before, item, after] = [items[k - 1], items[k], items[k + 1]];
    if (item.kind !== 'operand' || before.kind !== 'binary' || after.kind !== 'binary') continue;
    const op = markedOperatorOf(item.node);
    if (op === undefined || before.op !== '||' || after.op !== '||') continue;
    items.splice(k - 1, 3, { kind: 'binary', op });
  }
}

function locOf(node: AstNode): { start: unknown; end: unknown } | undefined {
  return (node as { loc?: { start: unknown; end: unknown } }).loc;
}

const spanning = (first: AstNode, last: AstNode) => {
  const [from, to] = [locOf(first), locOf(last)];
  return from && to ? { loc: { start: from.start, end: to.end } } : {};
};

/** The chain built again with each operator's precedence, left-associative (a shunting yard). */
function rebuild(items: readonly Item[]): AstNode {
  const values: AstNode[] = [];
  const pending: (Item & { kind: 'binary' | 'prefix' })[] = [];
  const precedence = (item: Item & { kind: 'binary' | 'prefix' }) =>
    item.kind === 'prefix' ? PRECEDENCE['||'] : PRECEDENCE[item.op];
  const reduce = () => {
    const item = pending.pop()!;
    const right = values.pop()!;
    if (item.kind === 'prefix') {
      values.push({ ...item.node, expr: right, ...spanning(item.node, right) } as AstNode);
      return;
    }
    const left = values.pop()!;
    values.push({ type: 'binary_expr', operator: item.op, left, right, ...spanning(left, right) } as AstNode);
  };
  for (const item of items) {
    if (item.kind === 'operand') values.push(item.node);
    else if (item.kind === 'prefix') pending.push(item);
    else {
      while (pending.length > 0 && precedence(pending[pending.length - 1]) >= PRECEDENCE[item.op]) reduce();
      pending.push(item);
    }
  }
  while (pending.length > 0) reduce();
  return values[0];
}

/**
 * node-sql-parser's PostgreSQL grammar binds `||` as tightly as `*` (`'a' || 1 + 2` is read
 * `('a' || 1) + 2`, which DuckDB reads `'a' || (1 + 2)`), LIKE tighter than `||`, and `~`
 * tighter than `+`; the bitwise operators reach it as marked `||` pairs (marked-operators.ts).
 * Each chain of arithmetic with a `||` or a `~` in it is rebuilt, in place, with the
 * precedence DuckDB gives; chains without one are left as parsed.
 */
export function fixOperatorPrecedence(ast: unknown): void {
  walkAst(ast, (node) => {
    if (isCastOfNegativeNumber(node)) {
      castBeforeMinus(node);
      return;
    }
    if (!isChainLink(node)) return;
    const items = flatten(node as AstNode);
    if (items.some((i) => i.kind === 'prefix' || (i.kind === 'binary' && i.op === '||'))) {
      foldMarkers(items);
      // `x LIKE 'a' || '%'`: the chain is the pattern (with its ESCAPE), the LIKE its parent.
      const first = items[0];
      const like =
        first.kind === 'operand' && isLike(first.node) ? (first.node as MutableAstNode) : undefined;
      let escape: unknown;
      if (like) {
        const { escape: written, ...pattern } = like.right as MutableAstNode;
        escape = written;
        items[0] = { kind: 'operand', node: pattern as AstNode };
      }
      const chain = rebuild(items) as MutableAstNode;
      const rebuilt = like ? { ...like, right: escape ? { ...chain, escape } : chain } : chain;
      const parentheses = node.parentheses;
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, rebuilt, parentheses ? { parentheses } : {});
      if (like) return [like.left, ...operandsOf(items)];
    }
    // The operands are chains of their own (in parentheses, calls, subqueries) to visit.
    return operandsOf(items);
  });
}

const operandsOf = (items: readonly Item[]): AstNode[] =>
  items.flatMap((item) => (item.kind === 'operand' ? [item.node] : []));
