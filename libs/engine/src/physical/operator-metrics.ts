import { InternalError } from '@tributary/common';
import { physicalChildren, type OperatorRunStats, type PhysicalNode } from '@tributary/protocol';

/** The running counters of one operator of a task; InstrumentedExec adds to them. */
export interface OperatorCounters {
  rows: number;
  batches: number;
  /** Wall time in the operator's `next()`, its children's included, cooperative yields left out. */
  inclusiveMs: number;
}

/**
 * The counters of every operator of one task's plan (EXPLAIN ANALYZE), numbered by the
 * operator's pre-order position in the plan, the numbering EXPLAIN prints its lines in. A
 * task's plan is parsed from JSON, so no node object appears twice in it.
 */
export class OperatorMetrics {
  private readonly counters: OperatorCounters[] = [];
  private readonly children: number[][] = [];
  private readonly indexes = new Map<PhysicalNode, number>();

  constructor(root: PhysicalNode) {
    const visit = (node: PhysicalNode): number => {
      const index = this.counters.length;
      this.counters.push({ rows: 0, batches: 0, inclusiveMs: 0 });
      this.children.push([]);
      this.indexes.set(node, index);
      for (const child of physicalChildren(node)) this.children[index].push(visit(child));
      return index;
    };
    visit(root);
  }

  /** The counters of a node of the plan this was made for. */
  of(node: PhysicalNode): OperatorCounters {
    const index = this.indexes.get(node);
    if (index === undefined)
      throw new InternalError('an operator was built from a node outside the measured plan');
    return this.counters[index];
  }

  /**
   * Every operator's rows, batches and self time: its time less its children's (each of
   * which was measured inside its own `next()`). Children read concurrently can add up to
   * more than their parent waited; the self time is then 0.
   */
  summary(): OperatorRunStats[] {
    return this.counters.map((c, i) => {
      const childrenMs = this.children[i].reduce((sum, child) => sum + this.counters[child].inclusiveMs, 0);
      return [c.rows, c.batches, roundMs(Math.max(0, c.inclusiveMs - childrenMs))] as const;
    });
  }
}

/** Microseconds are as fine as a batch's timing means anything; fewer digits keep the end frame small. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
