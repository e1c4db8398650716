import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN } from '@tributary/common';
import { call, column, literal } from './expr-builders.ts';
import type { Expr } from './expr.ts';
import { SHOWN_LIST_ITEMS, exprToDisplayString, exprToString } from './expr-visitors.ts';

const inList = (n: number, negated = false): Expr => ({
  kind: 'in-list',
  expr: column(0, 'k', BIGINT),
  list: Array.from({ length: n }, (_, i) => literal(i * 3, BIGINT)),
  negated,
  type: BOOLEAN,
});

describe('exprToDisplayString', () => {
  it('cuts long IN lists, wherever they are, saying how many items are left out', () => {
    const long = call('and', [inList(SHOWN_LIST_ITEMS + 250), inList(3, true)], BOOLEAN);
    const shown = exprToDisplayString(long);
    expect(shown).toContain(`, ${(SHOWN_LIST_ITEMS - 1) * 3}, … 250 more)`);
    expect(shown).toContain('k#0 NOT IN (0, 3, 6)');
    expect(shown.length).toBeLessThan(1_000);
  });

  it('renders everything else as exprToString does, which keeps every item', () => {
    const short = call('or', [inList(SHOWN_LIST_ITEMS), inList(2)], BOOLEAN);
    expect(exprToDisplayString(short)).toBe(exprToString(short));
    expect(exprToString(inList(SHOWN_LIST_ITEMS + 1))).toContain(`, ${SHOWN_LIST_ITEMS * 3})`);
  });
});
