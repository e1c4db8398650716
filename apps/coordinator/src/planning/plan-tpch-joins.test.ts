import { describe, expect, it } from 'vitest';
import { explainDistributed, extractEquiKeys, fragmentPlan, planPhysical } from '@tributary/engine';
import { optimize } from '@tributary/optimizer';
import { printPlan } from '@tributary/plan';
import { physicalChildren, type PhysicalNode } from '@tributary/protocol';
import { bindQuery } from '@tributary/sql';
import { tpchSf1Catalog } from '@tributary/sql/testing';
import { tpchQuery } from '@tributary/tpch';

const catalog = tpchSf1Catalog;

function physical(sql: string, disabledRules: string[] = []): PhysicalNode {
  return planPhysical(optimize(bindQuery(sql, catalog, { context: ['tpch'] }), { disabledRules }));
}

interface JoinShape {
  readonly keys: boolean;
  readonly probeRows: number;
  readonly buildRows: number;
  readonly build: string[];
}

function tablesUnder(node: PhysicalNode): string[] {
  if (node.kind === 'scan') return [node.scan.table.table];
  return physicalChildren(node).flatMap(tablesUnder);
}

/** Every hash join: whether it has equi-keys, its sides' estimates, and the tables it builds on. */
function joinsOf(node: PhysicalNode, into: JoinShape[] = []): JoinShape[] {
  if (node.kind === 'hash-join') {
    into.push({
      keys: extractEquiKeys(node.condition, node.left.schema.length).leftKeys.length > 0,
      probeRows: node.left.estimatedRows ?? NaN,
      buildRows: node.right.estimatedRows ?? NaN,
      build: tablesUnder(node.right),
    });
  }
  for (const child of physicalChildren(node)) joinsOf(child, into);
  return into;
}

/** The FROM list of a TPC-H query text, written in the given order instead. */
function withFromOrder(sql: string, tables: readonly string[]): string {
  return sql.replace(/\bfrom\s+([^()]*?)\bwhere\b/, (_, list: string) => {
    const items = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const ordered = tables.map((t) => {
      const item = items.find((i) => i === t);
      if (!item) throw new Error(`no ${t} in FROM ${list}`);
      return item;
    });
    return `from ${ordered.join(', ')} where `;
  });
}

function expectGoodJoins(sql: string, joins: number): void {
  const plan = physical(sql);
  const shapes = joinsOf(plan);
  expect(shapes).toHaveLength(joins);
  for (const j of shapes) {
    // No cross join: each join has an equi-key to hash on.
    expect(j.keys, JSON.stringify(j)).toBe(true);
    // The smaller input (by estimate) is the one built.
    expect(j.buildRows, JSON.stringify(j)).toBeLessThanOrEqual(j.probeRows);
  }
  // lineitem, the biggest table, is never built on alone.
  expect(shapes.every((j) => !(j.build.length === 1 && j.build[0] === 'lineitem'))).toBe(true);
}

describe('join order of TPC-H queries (SF 1 row counts)', () => {
  it('Q9 (six tables, FROM part, supplier first): no cross join, small sides built', () => {
    expectGoodJoins(tpchQuery(9), 5);
    // Without join ordering it joins part × supplier first, with no condition between them.
    const unordered = joinsOf(physical(tpchQuery(9), ['join_order']));
    expect(unordered.some((j) => !j.keys)).toBe(true);
  });

  it('Q5 (six tables) in its own and in a bad FROM order', () => {
    expectGoodJoins(tpchQuery(5), 5);
    const bad = withFromOrder(tpchQuery(5), [
      'region',
      'customer',
      'supplier',
      'lineitem',
      'nation',
      'orders',
    ]);
    expect(joinsOf(physical(bad, ['join_order'])).some((j) => !j.keys)).toBe(true);
    expectGoodJoins(bad, 5);
  });

  it('Q8 (eight tables) in its own and in a bad FROM order', () => {
    expectGoodJoins(tpchQuery(8), 7);
    const bad = withFromOrder(tpchQuery(8), [
      'nation n1',
      'nation n2',
      'region',
      'part',
      'customer',
      'supplier',
      'orders',
      'lineitem',
    ]);
    expect(joinsOf(physical(bad, ['join_order'])).some((j) => !j.keys)).toBe(true);
    expectGoodJoins(bad, 7);
  });

  it('Q19 joins lineitem and part on the key factored out of the OR, both filtered first', () => {
    const logical = printPlan(optimize(bindQuery(tpchQuery(19), catalog, { context: ['tpch'] })));
    expect(logical).toMatch(/Join inner on \(\(p_partkey#\d+ = l_partkey#\d+\) AND/);
    expect(logical).toMatch(
      /Scan tpch\.lineitem \[[^\]]*\] filters=\[l_shipmode#\d+ IN \('AIR', 'AIR REG'\)/,
    );
    expect(logical).toMatch(/Scan tpch\.part \[[^\]]*\] filters=\[\(p_size#\d+ >= 1\), \(\(\(p_brand/);
    expectGoodJoins(tpchQuery(19), 1);
  });

  it('EXPLAIN shows the estimated rows of every operator', () => {
    const plan = fragmentPlan(physical(tpchQuery(5)), {
      partitions: 2,
      broadcastRowLimit: 100_000,
      splitGroups: () => [[{ info: {} }]],
    });
    const lines = explainDistributed(plan)
      .split('\n')
      .filter((l) => /^\s{2,}\S/.test(l));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/\(est\. \d+ rows\)$/);
  });
});
