import type { PhysicalNode } from '@tributary/protocol';

/**
 * A rough upper bound of a physical subtree's rows from the tables' row counts, used to
 * decide whether a join side is small enough to broadcast; undefined when a source does
 * not know its size.
 */
export function estimatePhysicalRows(node: PhysicalNode): number | undefined {
  switch (node.kind) {
    case 'scan': {
      const { limit, table } = node.scan;
      return limit === null ? table.rowCount : Math.min(limit, table.rowCount ?? limit);
    }
    case 'values':
      return node.rows.length;
    case 'exchange':
      return undefined;
    case 'filter':
    case 'project':
    case 'sort':
    case 'window':
      return estimatePhysicalRows(node.input);
    case 'aggregate':
      return node.groupBy.length === 0 ? 1 : estimatePhysicalRows(node.input);
    case 'top-n':
    case 'limit': {
      const input = estimatePhysicalRows(node.input);
      if (node.limit === null) return input;
      return input === undefined ? node.limit : Math.min(input, node.limit);
    }
    case 'replicate':
      return undefined;
    case 'expand': {
      const input = estimatePhysicalRows(node.input);
      return input === undefined ? undefined : input * node.sets.length;
    }
    case 'union': {
      let total = 0;
      for (const input of node.inputs) {
        const rows = estimatePhysicalRows(input);
        if (rows === undefined) return undefined;
        total += rows;
      }
      return total;
    }
    case 'hash-join': {
      const left = estimatePhysicalRows(node.left);
      const right = estimatePhysicalRows(node.right);
      if (left === undefined || right === undefined) return undefined;
      return node.joinType === 'semi' ||
        node.joinType === 'anti' ||
        node.joinType === 'mark' ||
        node.joinType === 'single'
        ? left
        : Math.max(left, right);
    }
  }
}
