import { AGGREGATE_NAMES } from './contains-aggregate.ts';
import { argList, functionName, type AstArgs, type AstNode, type AstOrderBy } from './sql-ast.ts';

function columnName(node: AstNode): string {
  const col = node.column;
  if (typeof col === 'string') return col;
  const inner = (col as AstNode | undefined)?.expr;
  return String(inner?.value ?? (col as AstNode | undefined)?.value ?? '');
}

/** An aggregate's arguments as DuckDB prints them: `DISTINCT x, ',' ORDER BY y DESC`. */
function aggregateArgs(node: AstNode, args: readonly AstNode[]): string {
  const spec = node.args as AstArgs | undefined;
  const distinct = typeof spec?.distinct === 'string' ? 'DISTINCT ' : '';
  const order = (spec?.orderby ?? null) as readonly AstOrderBy[] | null;
  const keys = (order ?? []).map((k) => {
    const desc = String(k.type ?? '').toUpperCase() === 'DESC' ? ' DESC' : '';
    const nulls = k.nulls ? ` ${String(k.nulls).toUpperCase().replace(/\s+/g, ' ')}` : '';
    return `${exprName(k.expr)}${desc}${nulls}`;
  });
  return `${distinct}${args.map(exprName).join(', ')}${keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : ''}`;
}

function filterClause(node: AstNode): string {
  const where = (node.filter as { where?: AstNode } | null | undefined)?.where;
  return where ? ` FILTER (WHERE ${exprName(where)})` : '';
}

/**
 * The output name DuckDB gives an unaliased select item: a column's own name, otherwise
 * the expression as it prints it (`count_star()`, `sum(l_quantity)`, `(a + b)`).
 */
export function exprName(node: AstNode): string {
  switch (node.type) {
    case 'column_ref':
      return columnName(node);
    case 'number':
    case 'bigint':
      return String(node.value);
    case 'single_quote_string':
    case 'string':
      return `'${String(node.value)}'`;
    case 'bool':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'NULL';
    case 'date':
      return `DATE '${String(node.value)}'`;
    case 'timestamp':
      return `TIMESTAMP '${String(node.value)}'`;
    case 'interval': {
      const expr = node.expr as AstNode | undefined;
      return `INTERVAL '${String(expr?.value ?? '')}' ${String(node.unit ?? '').toUpperCase()}`.trim();
    }
    case 'binary_expr': {
      const op = String(node.operator).toUpperCase().replace(/\s+/g, ' ');
      const right = node.right as AstNode;
      if (op.endsWith('BETWEEN')) {
        const [lo, hi] = right.value as AstNode[];
        return `(${exprName(node.left as AstNode)} ${op} ${exprName(lo)} AND ${exprName(hi)})`;
      }
      if (op.endsWith('IN') && right.type === 'expr_list') {
        return `(${exprName(node.left as AstNode)} ${op} (${(right.value as AstNode[]).map(exprName).join(', ')}))`;
      }
      if ((op === 'IS' || op === 'IS NOT') && right.type !== 'null' && right.type !== 'bool') {
        // What the parse makes of IS [NOT] DISTINCT FROM (is-distinct-from.ts).
        const spelled = op === 'IS' ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
        return `(${exprName(node.left as AstNode)} ${spelled} ${exprName(right)})`;
      }
      return `(${exprName(node.left as AstNode)} ${op === 'AND' || op === 'OR' ? op : op.toUpperCase()} ${exprName(right)})`;
    }
    case 'unary_expr': {
      const op = String(node.operator).toUpperCase();
      return op === 'NOT'
        ? `(NOT ${exprName(node.expr as AstNode)})`
        : `${op}(${exprName(node.expr as AstNode)})`;
    }
    case 'aggr_func': {
      const name = String(node.name).toLowerCase();
      const args = node.args as AstArgs | undefined;
      const arg = args?.expr as AstNode | undefined;
      const separator = (args?.separator as { delimiter?: AstNode } | null | undefined)?.delimiter;
      const parts = [...(arg ? [arg] : []), ...(separator ? [separator] : [])];
      const call =
        name === 'count' && (!arg || arg.type === 'star')
          ? 'count_star('
          : `${name}(${aggregateArgs(node, parts)}`;
      return `${call})${filterClause(node)}`;
    }
    case 'origin':
      return String(node.value).toUpperCase();
    case 'function':
      // CURRENT_DATE and the like, written without parentheses.
      if (node.args === undefined) return functionName(node).toLowerCase();
      if (functionName(node).toLowerCase() === 'position')
        return `position(${argList(node).map(exprName).join(' ')})`;
      if (AGGREGATE_NAMES.has(functionName(node).toLowerCase()))
        return `${functionName(node).toLowerCase()}(${aggregateArgs(node, argList(node))})${filterClause(node)}`;
      return `${functionName(node).toLowerCase()}(${argList(node).map(exprName).join(', ')})`;
    case 'cast': {
      const t = node.target?.[0];
      const type = t
        ? `${t.dataType}${t.length !== undefined && t.length !== null ? `(${t.length}${t.scale !== undefined && t.scale !== null ? `,${t.scale}` : ''})` : ''}`
        : '';
      return `CAST(${exprName(node.expr as AstNode)} AS ${type})`;
    }
    case 'extract': {
      const args = node.args as AstArgs;
      return `extract(${String(args.field).toLowerCase()} FROM ${exprName(args.source as AstNode)})`;
    }
    case 'case': {
      const branches = (node.args as unknown as AstNode[]) ?? [];
      const base = node.expr ? `${exprName(node.expr)} ` : '';
      const parts = branches.map((b) =>
        b.type === 'when'
          ? `WHEN ${exprName(b.cond as AstNode)} THEN ${exprName(b.result as AstNode)}`
          : `ELSE ${exprName(b.result as AstNode)}`,
      );
      return `CASE ${base}${parts.join(' ')} END`;
    }
    default:
      return String(node.type ?? '?');
  }
}
