import { describe, expect, it } from 'vitest';
import { BOOLEAN, INTEGER } from '@tributary/common';
import { call, column, type Field, type JoinType } from '@tributary/plan';
import type { ExchangeKind, PhysicalNode } from '@tributary/protocol';
import { UnboundedMemoryPool } from '../memory/memory-pool.ts';
import { HashJoin } from '../operators/hash-join.ts';
import { BatchSource } from '../operators/operator-test-support.ts';
import { SharedBuilds } from '../operators/shared-builds.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { buildOperators } from './build-operators.ts';

const fields: Field[] = [{ name: 'k', type: INTEGER, nullable: true }];

function exchange(stage: number, kind: ExchangeKind): PhysicalNode {
  return { kind: 'exchange', stage, exchange: kind, schema: fields };
}

function hashJoin(right: PhysicalNode, joinType: JoinType = 'inner'): PhysicalNode {
  const condition = call('eq', [column(0, 'k', INTEGER), column(1, 'k', INTEGER)], BOOLEAN);
  const schema = joinType === 'semi' || joinType === 'anti' ? fields : [...fields, ...fields];
  return { kind: 'hash-join', left: exchange(0, 'hash'), right, joinType, condition, schema };
}

/** The join a task builds for `plan`, in a thread that shares build sides. */
function built(plan: PhysicalNode): HashJoin {
  const operator = buildOperators(plan, {
    exchange: (): PhysicalOperator => new BatchSource(fields, []),
    sharedBuilds: { builds: new SharedBuilds(), queryId: 'q', stage: 3, pool: new UnboundedMemoryPool() },
  });
  expect(operator).toBeInstanceOf(HashJoin);
  return operator as HashJoin;
}

describe('buildOperators: shared build sides', () => {
  it('shares a build side read from a broadcast, also under other operators', () => {
    expect(built(hashJoin(exchange(1, 'broadcast'))).share?.key).toMatch(/^3:/);
    const filtered: PhysicalNode = {
      kind: 'filter',
      input: exchange(1, 'broadcast'),
      predicate: call('gt', [column(0, 'k', INTEGER), { kind: 'literal', value: 1, type: INTEGER }], BOOLEAN),
      schema: fields,
    };
    expect(built(hashJoin(filtered, 'semi')).share).toBeDefined();
  });

  it('gives each task its own build when the side differs by task or marks its rows', () => {
    // A shuffled build side is a different partition in every task.
    expect(built(hashJoin(exchange(1, 'hash'))).share).toBeUndefined();
    // Right and full joins mark the build rows each task matched.
    expect(built(hashJoin(exchange(1, 'broadcast'), 'right')).share).toBeUndefined();
    expect(built(hashJoin(exchange(1, 'broadcast'), 'full')).share).toBeUndefined();
  });

  it('keys two joins of one stage apart unless their build sides are the same', () => {
    expect(built(hashJoin(exchange(1, 'broadcast'))).share?.key).not.toBe(
      built(hashJoin(exchange(2, 'broadcast'))).share?.key,
    );
    expect(built(hashJoin(exchange(1, 'broadcast'))).share?.key).toBe(
      built(hashJoin(exchange(1, 'broadcast'))).share?.key,
    );
  });
});
