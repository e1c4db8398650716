import { BindError, type SqlPosition } from '@tributary/common';
import type { ScopeColumn } from './scope.ts';
import { functionName, stringValue, type AstNode } from './sql-ast.ts';

/** One copy of an expression with its COLUMNS(…) replaced by one column, named after it. */
export interface ColumnsExpansion {
  readonly node: AstNode;
  readonly column: ScopeColumn;
}

/** What a COLUMNS(…) needs of its query: the columns a star stands for, and where an error goes. */
export interface ColumnsScope {
  /** The columns of `*` or `t.*` (a column_ref node), as a select list's star has them. */
  star(node: AstNode): readonly ScopeColumn[];
  /** Every column a bare `*` shows. */
  readonly visible: readonly ScopeColumn[];
  readonly position: SqlPosition | undefined;
}

const isColumnsCall = (node: AstNode): boolean =>
  node.type === 'function' && functionName(node).toLowerCase() === 'columns';

/** The COLUMNS(…) calls of an expression, outside its subqueries. */
function columnsCalls(node: unknown, out: AstNode[] = []): AstNode[] {
  if (typeof node !== 'object' || node === null) return out;
  if (Array.isArray(node)) {
    for (const v of node) columnsCalls(v, out);
    return out;
  }
  const n = node as AstNode;
  if (n.type === 'select' || 'ast' in n) return out;
  if (isColumnsCall(n)) {
    out.push(n);
    return out;
  }
  for (const key in n) if (key !== 'loc') columnsCalls(n[key], out);
  return out;
}

export function containsColumns(node: AstNode): boolean {
  return columnsCalls(node).length > 0;
}

/** The argument of a COLUMNS call as text, to tell whether two calls select the same. */
function selectorKey(call: AstNode): string {
  return JSON.stringify(call.args, (key, value: unknown) => (key === 'loc' ? undefined : value));
}

/** A reference to exactly `column`: qualified only where its name alone is ambiguous. */
function referenceTo(column: ScopeColumn, visible: readonly ScopeColumn[]): AstNode {
  const ref: AstNode = {
    type: 'column_ref',
    column: { expr: { type: 'double_quote_string', value: column.name } },
  };
  const unique = visible.filter((c) => c.name === column.name).length === 1;
  return unique ? { ...ref, table: null } : { ...ref, table: column.qualifier };
}

/** `node` with every COLUMNS call replaced by `replacement` (subqueries untouched). */
function substitute(node: unknown, replacement: AstNode): unknown {
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) return node.map((v) => substitute(v, replacement));
  const n = node as AstNode;
  if (n.type === 'select' || 'ast' in n) return n;
  if (isColumnsCall(n)) return replacement;
  return Object.fromEntries(
    Object.entries(n).map(([key, value]) => [key, key === 'loc' ? value : substitute(value, replacement)]),
  );
}

/**
 * DuckDB's `COLUMNS(…)`: the expression once per column it selects, the column in the
 * call's place. `COLUMNS(*)` and `COLUMNS(t.*)` select what the star would; `COLUMNS('re')`
 * the columns whose names the regular expression matches anywhere (case-sensitive, as
 * DuckDB's RE2 partial match). Several COLUMNS in one expression must select alike.
 * Undefined when the expression has none.
 */
export function expandColumns(node: AstNode, scope: ColumnsScope): ColumnsExpansion[] | undefined {
  const calls = columnsCalls(node);
  if (calls.length === 0) return undefined;
  const key = selectorKey(calls[0]);
  if (calls.some((c) => selectorKey(c) !== key))
    throw new BindError(
      'UNSUPPORTED_FEATURE',
      'COLUMNS(…) expressions in one expression must select the same columns',
      {
        position: scope.position,
      },
    );
  const args = (calls[0].args as AstNode | undefined)?.value;
  const arg = Array.isArray(args) && args.length === 1 ? (args[0] as AstNode) : undefined;
  let columns: readonly ScopeColumn[];
  if (arg?.type === 'column_ref' && arg.column === '*') columns = scope.star(arg);
  else if (arg && (arg.type === 'single_quote_string' || arg.type === 'string')) {
    const pattern = stringValue(arg);
    let regex: RegExp;
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      throw new BindError('INVALID_ARGUMENT', `COLUMNS('${pattern}') is not a valid regular expression`, {
        position: scope.position,
      });
    }
    columns = scope.visible.filter((c) => regex.test(c.name));
    if (columns.length === 0)
      throw new BindError('COLUMN_NOT_FOUND', `COLUMNS('${pattern}') matches no column`, {
        position: scope.position,
        details: { pattern },
      });
  } else
    throw new BindError('UNSUPPORTED_FEATURE', "COLUMNS takes *, t.* or a regular expression ('l_.*price')", {
      position: scope.position,
    });
  return columns.map((column) => ({
    node: substitute(node, referenceTo(column, scope.visible)) as AstNode,
    column,
  }));
}
