import { planInputs, type CatalogRead, type LogicalPlan } from '@tributary/plan';

/**
 * The tables a bound plan reads, one CatalogRead each, for access control. Tables only: until
 * the semantic layer's bindSql returns its own `reads` (with views, and what is read through
 * them), this is the list; that merge replaces this function.
 */
export function readsOfPlan(plan: LogicalPlan): CatalogRead[] {
  const seen = new Set<string>();
  const reads: CatalogRead[] = [];
  const visit = (node: LogicalPlan): void => {
    if (node.kind === 'scan') {
      const key = `${node.table.source}\0${node.table.table}`;
      if (!seen.has(key)) {
        seen.add(key);
        reads.push({ path: [node.table.source, node.table.table], kind: 'table' });
      }
    }
    for (const input of planInputs(node)) visit(input);
  };
  visit(plan);
  return reads;
}
