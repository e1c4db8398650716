import type { Expr, LogicalPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { MAX_CHAIN_OPERANDS, balanceLogicChains, logicChainOperands } from './balance-logic-chains.ts';
import { bindQuery } from './bind-sql.ts';
import { parseSql } from './parse-sql.ts';
import type { AstNode } from './sql-ast.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

/** How deeply AND/OR nodes nest. */
function depth(node: AstNode | undefined): number {
  if (!node || node.type !== 'binary_expr' || !['AND', 'OR'].includes(String(node.operator))) return 0;
  return 1 + Math.max(depth(node.left), depth(node.right));
}

function where(plan: LogicalPlan): Expr {
  let node: LogicalPlan = plan;
  while (node.kind !== 'filter') node = (node as { input: LogicalPlan }).input;
  return node.predicate;
}

const terms = (n: number, op: string): string =>
  Array.from({ length: n }, (_, i) => `l_linenumber = ${i}`).join(` ${op} `);

describe('balanceLogicChains', () => {
  it('rebuilds a long left-deep OR chain balanced, keeping its operands in order', () => {
    const ast = parseSql(`select 1 from lineitem where ${terms(10_000, 'OR')}`).ast.where as AstNode;
    expect(depth(ast)).toBeLessThanOrEqual(15);
    const operands = logicChainOperands(ast, 'OR');
    expect(operands).toHaveLength(10_000);
    expect(operands.map((o) => (o.right as AstNode).value)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => i),
    );
  });

  it('leaves short chains as the grammar built them', () => {
    const sql = `select 1 from lineitem where ${terms(MAX_CHAIN_OPERANDS, 'AND')}`;
    expect(depth(parseSql(sql).ast.where as AstNode)).toBe(MAX_CHAIN_OPERANDS - 1);
  });

  it('balances chains nested in other expressions, of either operator', () => {
    const inner = `(${terms(200, 'AND')})`;
    const ast = {
      type: 'select',
      where: parseSql(`select 1 from lineitem where not ${inner} or ${inner}`).ast.where,
    };
    balanceLogicChains(ast);
    expect(depth(ast.where as AstNode)).toBeLessThan(20);
  });

  it('binds 10,000 OR-ed terms to one n-ary OR, and AND chains to one n-ary AND', () => {
    const or = where(
      bindQuery(`select 1 from lineitem where ${terms(10_000, 'OR')}`, tpchCatalog, { context: ['tpch'] }),
    );
    expect(or.kind === 'call' && or.fn).toBe('or');
    expect(or.kind === 'call' && or.args).toHaveLength(10_000);
    const and = where(
      bindQuery(`select 1 from lineitem where ${terms(3, 'AND')} and l_tax between 0 and 1`, tpchCatalog, {
        context: ['tpch'],
      }),
    );
    // BETWEEN's own AND joins the conjunction.
    expect(and.kind === 'call' && and.args.map((a) => (a.kind === 'call' ? a.fn : a.kind))).toEqual([
      'eq',
      'eq',
      'eq',
      'gte',
      'lte',
    ]);
  });
});
