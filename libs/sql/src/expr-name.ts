import { argList, functionName, type AstArgs, type AstNode } from './sql-ast.ts';
import type { AstFrameBound, AstWindowCall } from './window-syntax.ts';

function columnName(node: AstNode): string {
  const col = node.column;
  if (typeof col === 'string') return col;
  const inner = (col as AstNode | undefined)?.expr;
  return String(inner?.value ?? (col as AstNode | undefined)?.value ?? '');
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
      if (name === 'count' && (!arg || arg.type === 'star')) return 'count_star()';
      const distinct = typeof args?.distinct === 'string' ? 'DISTINCT ' : '';
      return `${name}(${distinct}${arg ? exprName(arg) : ''})`;
    }
    case 'origin':
      return String(node.value).toUpperCase();
    case 'function':
      if (functionName(node).toLowerCase() === 'position')
        return `position(${argList(node).map(exprName).join(' ')})`;
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
    case 'window_call':
      return windowCallName(node as unknown as AstWindowCall);
    default:
      return String(node.type ?? '?');
  }
}

function boundText(b: AstFrameBound): string {
  switch (b.kind) {
    case 'unbounded-preceding':
      return 'UNBOUNDED PRECEDING';
    case 'unbounded-following':
      return 'UNBOUNDED FOLLOWING';
    case 'current-row':
      return 'CURRENT ROW';
    default: {
      const o = b.offset!;
      const text =
        o.kind === 'number'
          ? String(o.value)
          : `INTERVAL '${o.text}'${o.unit ? ` ${o.unit.toUpperCase()}` : ''}`;
      return `${text} ${b.kind.toUpperCase()}`;
    }
  }
}

/** The name DuckDB gives an unaliased window call: `sum(x) OVER (PARTITION BY a ORDER BY b DESC)`. */
export function windowCallName(node: AstWindowCall): string {
  const call = node.call;
  const isCountStar =
    call.type === 'aggr_func' &&
    String(call.name).toLowerCase() === 'count' &&
    ((call.args as AstArgs | undefined)?.expr?.type === 'star' || !(call.args as AstArgs | undefined)?.expr);
  const head = isCountStar ? 'count()' : exprName(call);
  const w = node.window;
  const parts: string[] = [];
  if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${w.partitionBy.map(exprName).join(', ')}`);
  if (w.orderBy.length > 0)
    parts.push(
      `ORDER BY ${w.orderBy
        .map(
          (o) =>
            `${exprName(o.expr)}${o.direction ? ` ${o.direction}` : ''}${o.nullsFirst === undefined ? '' : o.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`,
        )
        .join(', ')}`,
    );
  // DuckDB leaves the default frame (with ORDER BY) out of the name.
  const isDefault =
    w.frame?.units === 'range' &&
    w.frame.start.kind === 'unbounded-preceding' &&
    w.frame.end.kind === 'current-row';
  if (w.frame && !isDefault)
    parts.push(
      `${w.frame.units.toUpperCase()} BETWEEN ${boundText(w.frame.start)} AND ${boundText(w.frame.end)}`,
    );
  return `${head} OVER (${parts.join(' ')})`;
}
