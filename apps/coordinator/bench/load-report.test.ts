import { describe, expect, it } from 'vitest';
import {
  errorsByCode,
  evaluateTargets,
  formatTable,
  parseServerTiming,
  shortWhileLong,
  summariesBy,
  type QueryRecord,
} from './load-report.ts';

function record(partial: Partial<QueryRecord> & Pick<QueryRecord, 'start' | 'end'>): QueryRecord {
  return { name: 'q', class: 'short', client: 0, status: 200, ...partial };
}

describe('shortWhileLong', () => {
  it('keeps the short queries that overlap a long one in time', () => {
    const long = record({ name: 'long', class: 'long', start: 100, end: 200 });
    const before = record({ name: 'before', start: 0, end: 100 });
    const inside = record({ name: 'inside', start: 120, end: 130 });
    const across = record({ name: 'across', start: 190, end: 250 });
    const after = record({ name: 'after', start: 200, end: 300 });
    expect(shortWhileLong([long, before, inside, across, after]).map((r) => r.name)).toEqual([
      'inside',
      'across',
    ]);
  });
});

describe('errorsByCode', () => {
  it('counts failed queries by code, most frequent first, with an example', () => {
    const records = [
      record({ start: 0, end: 1 }),
      record({ name: 'a', start: 0, end: 1, status: 503, code: 'QUERY_MEMORY_EXCEEDED', message: 'full' }),
      record({ name: 'b', start: 0, end: 1, status: 0, code: 'CONNECTION_ECONNRESET' }),
      record({ name: 'c', start: 0, end: 1, status: 503, code: 'QUERY_MEMORY_EXCEEDED' }),
    ];
    expect(errorsByCode(records)).toEqual([
      { code: 'QUERY_MEMORY_EXCEEDED', count: 2, example: 'a: full' },
      { code: 'CONNECTION_ECONNRESET', count: 1, example: 'b: ' },
    ]);
  });
});

describe('summariesBy', () => {
  it('summarizes successful latencies and counts errors apart', () => {
    const records = [
      record({ name: 'x', start: 0, end: 10 }),
      record({ name: 'x', start: 0, end: 30 }),
      record({ name: 'x', start: 0, end: 5000, code: 'CLIENT_TIMEOUT' }),
    ];
    const [x, y] = summariesBy(records, (r) => r.name, ['x', 'y']);
    expect(x).toEqual({ key: 'x', summary: { count: 2, p50: 10, p99: 30, max: 30 }, errors: 1 });
    expect(y.summary.count).toBe(0);
  });
});

describe('evaluateTargets', () => {
  it('says which targets are met and which could not be measured', () => {
    const met = (inputs: Parameters<typeof evaluateTargets>[0]) => evaluateTargets(inputs).map((t) => t.met);
    expect(
      met({ errors: 0, mismatches: 0, shortP99WhileLongMs: 999, coordinatorEndPctOfStart: 110 }),
    ).toEqual([true, true, true, true]);
    expect(
      met({ errors: 1, mismatches: undefined, shortP99WhileLongMs: 1000, coordinatorEndPctOfStart: 111 }),
    ).toEqual([false, false, false]);
    expect(
      met({ errors: 0, mismatches: 2, shortP99WhileLongMs: NaN, coordinatorEndPctOfStart: undefined }),
    ).toEqual([true, undefined, undefined, false]);
  });
});

describe('formatTable', () => {
  it('pads the first column left and the others right', () => {
    expect(
      formatTable(
        ['name', 'n'],
        [
          ['a', '10'],
          ['bb', '2'],
        ],
      ),
    ).toBe('name   n\n----  --\na     10\nbb     2');
  });
});

describe('parseServerTiming', () => {
  it('reads each phase’s duration and skips entries without one', () => {
    expect(parseServerTiming('plan;dur=12.5, queue;dur=0.0, first-batch;dur=301.2')).toEqual({
      plan: 12.5,
      queue: 0,
      'first-batch': 301.2,
    });
    expect(parseServerTiming('cache;desc="hit", db;dur=3')).toEqual({ db: 3 });
    expect(parseServerTiming(null)).toBeUndefined();
  });
});
