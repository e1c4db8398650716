import { describe, expect, it } from 'vitest';
import { Scope } from './scope.ts';
import type { SelectItem } from './select-items.ts';
import type { AstNode } from './sql-ast.ts';
import { substituteAliases } from './substitute-aliases.ts';

const ref = (name: string, table: string | null = null): AstNode => ({
  type: 'column_ref',
  table,
  column: { expr: { type: 'default', value: name } },
});

const count: AstNode = { type: 'aggr_func', name: 'COUNT', args: { expr: { type: 'star', value: '*' } } };
const items: SelectItem[] = [
  { kind: 'expr', node: ref('k'), alias: 'K2' },
  { kind: 'expr', node: count, alias: 'n' },
];
const scope = new Scope([{ name: 'k', type: { kind: 'BIGINT' }, index: 0, qualifier: 't' }]);

describe('substituteAliases', () => {
  it('replaces bare alias names that are not input columns by their select expressions', () => {
    const having: AstNode = {
      type: 'binary_expr',
      operator: '>',
      left: ref('N'),
      right: { type: 'number', value: 5 },
    };
    expect(substituteAliases(having, items, scope)).toEqual({ ...having, left: count });
    expect(substituteAliases(ref('k2'), items, scope)).toEqual(ref('k'));
  });

  it('keeps input columns, qualified names and unknown names', () => {
    expect(substituteAliases(ref('k'), [{ kind: 'expr', node: count, alias: 'k' }], scope)).toEqual(ref('k'));
    expect(substituteAliases(ref('n', 't'), items, scope)).toEqual(ref('n', 't'));
    expect(substituteAliases(ref('zz'), items, scope)).toEqual(ref('zz'));
  });
});
