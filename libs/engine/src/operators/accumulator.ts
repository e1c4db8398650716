import type { ColumnBuffers } from '@tributary/common';

/**
 * The running state of one aggregate for every group, in typed arrays indexed by group id.
 * `rows` selects which rows of the batch feed it (null: rows 0..count).
 */
export interface Accumulator {
  /** Makes room for group ids below `groups`. */
  resize(groups: number): void;
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void;
  /** The output columns (one, or the state columns in partial mode) of groups start..end. */
  emit(start: number, end: number): ColumnBuffers[];
  /**
   * The state columns (aggregateStateTypes) of groups start..end in any mode, which 'final'
   * mode merges: how a spilling aggregation writes its groups out. DISTINCT has none.
   */
  emitState(start: number, end: number): ColumnBuffers[];
  /** The bytes of its typed arrays, for memory accounting. */
  memoryBytes(): number;
}

export type AggregateMode = 'single' | 'partial' | 'final';
