import { BindError, NULL_TYPE, typeToString, type SqlType } from '@tributary/common';
import { values, type Expr, type LogicalPlan } from '@tributary/plan';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { setOperationType } from './bind-set-operation.ts';
import { castTo } from './coerce.ts';
import { Scope } from './scope.ts';
import type { AstNode } from './sql-ast.ts';

/** The name DuckDB gives the `i`th column of a VALUES list (`col0`, `col1`, …). */
export function valuesColumnName(i: number): string {
  return `col${i}`;
}

/**
 * A VALUES list (`(VALUES (1, 'a'), (2, 'b'))`) as literal rows: every row as wide as the
 * first, each column of the type its rows unify to as a UNION's branches would (INTEGER with
 * DECIMAL(2,1) is DECIMAL(11,1), NULL takes the other rows' type), named col0, col1, … until
 * an alias list renames them. A row's expressions read no columns.
 */
export function bindValues(ctx: BindContext, node: AstNode, range: TextRange | undefined): LogicalPlan {
  const binder = new ExprBinder(ctx, new Scope([]), 'VALUES', range);
  const asts = (node.values as { value: AstNode[] }[]).map((row) => row.value);
  const rows = asts.map((row) => row.map((e) => binder.bind(e, range)));
  const width = rows[0].length;
  const ragged = rows.findIndex((row) => row.length !== width);
  if (ragged >= 0)
    throw new BindError(
      'VALUES_ROW_WIDTH',
      `VALUES lists must all be the same length: row 1 has ${width} values, row ${ragged + 1} has ${rows[ragged].length}`,
      {
        position: binder.position(asts[ragged][0], range),
        details: { expected: width, actual: rows[ragged].length, row: ragged + 1 },
      },
    );
  const types = Array.from({ length: width }, (_, j) => columnType(rows, j));
  const cast = rows.map((row) => row.map((e, j): Expr => castTo(e, types[j])));
  return values(
    cast,
    types.map((_, j) => valuesColumnName(j)),
  );
}

function columnType(rows: readonly (readonly Expr[])[], j: number): SqlType {
  let type: SqlType | undefined;
  rows.forEach((row, i) => {
    const t = row[j].type;
    if (t.kind === 'NULL') return;
    const next = type ? setOperationType(type, t) : t;
    if (!next)
      throw new BindError(
        'TYPE_MISMATCH',
        `column ${j + 1} of VALUES has types ${typeToString(type!)} and ${typeToString(t)} (row ${i + 1}), which have no common type`,
      );
    type = next;
  });
  // A column of NULLs only is INTEGER, as a UNION of NULLs is.
  return type ?? setOperationType(NULL_TYPE, NULL_TYPE)!;
}
