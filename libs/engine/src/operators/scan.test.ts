import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BOOLEAN, INTEGER, VARCHAR } from '@tributary/common';
import { call, column, literal, scan, type Expr, type TableRef } from '@tributary/plan';
import {
  SNAPSHOT_LOCATION_KEY,
  connectorFor,
  takeTableSnapshot,
  type Connector,
  type FilterSupport,
  type ScanContext,
  type ScanRequest,
  type Split,
} from '@tributary/connectors';
import { ScanExec } from './scan.ts';
import { collectRows, duckRows, sortedRows, testBatch, type TestValue } from './operator-test-support.ts';

const table: TableRef = {
  source: 'mem',
  table: 't',
  sourceType: 'csv',
  columns: [
    { name: 'id', type: INTEGER },
    { name: 'name', type: VARCHAR },
    { name: 'qty', type: INTEGER },
  ],
  location: {},
};
const csvLocation = { delimiter: ':', quote: '"', nullString: '', header: false, splittable: true };
const data: TestValue[][] = Array.from({ length: 20 }, (_, i) => [i, `n${i % 3}`, i % 5]);

/** An in-memory connector: exact on filters over `id`, ignoring all others; splits of 8 rows. */
class MemoryConnector implements Connector {
  readonly type = 'csv' as const;
  requests: ScanRequest[] = [];
  contexts: ScanContext[] = [];
  async discover(): Promise<never[]> {
    return [];
  }
  filterSupport(_table: TableRef, filter: Expr): FilterSupport {
    return JSON.stringify(filter).includes('"name":"id"') ? 'exact' : 'unsupported';
  }
  async planSplits(
    _table: TableRef,
    _request: ScanRequest,
    _target: number,
    context: ScanContext,
  ): Promise<Split[]> {
    this.contexts.push(context);
    return [0, 8, 16].map((start) => ({ info: { start } }));
  }
  async *scan(
    _table: TableRef,
    split: Split,
    request: ScanRequest,
    context: ScanContext,
  ): AsyncIterable<RecordBatch> {
    this.requests.push(request);
    this.contexts.push(context);
    const start = split.info.start as number;
    let rows = data.slice(start, start + 8);
    // Applies only the filters it claims as exact (id < literal).
    for (const f of request.filters) {
      if (this.filterSupport(table, f) === 'exact' && f.kind === 'call')
        rows = rows.filter((r) => (r[0] as number) < (f.args[1] as { value: number }).value);
    }
    const fields = request.columns.map((c) => ({
      name: table.columns[c].name,
      type: table.columns[c].type,
      nullable: true,
    }));
    for (let i = 0; i < rows.length; i += 3)
      yield testBatch(
        fields,
        rows.slice(i, i + 3).map((r) => request.columns.map((c) => r[c])),
      );
  }
}

const roots = ['/work/shared/data'];
const id = column(0, 'id', INTEGER);
const qty = column(2, 'qty', INTEGER);

describe('ScanExec', () => {
  it('re-checks filters the connector does not evaluate exactly, reading and dropping their columns', async () => {
    const connector = new MemoryConnector();
    const filters = [
      call('lt', [id, literal(15, INTEGER)], BOOLEAN),
      call('eq', [qty, literal(2, INTEGER)], BOOLEAN),
    ];
    const node = scan(table, 't', [1, 0], filters);
    const rows = await collectRows(new ScanExec(node, { roots, connectorFor: () => connector }));
    expect(rows).toEqual([
      ['n2', 2],
      ['n1', 7],
      ['n0', 12],
    ]);
    expect(connector.requests[0]).toEqual({ columns: [1, 0, 2], filters, limit: null });
  });

  it('stops at the limit and passes it down when every filter is exact', async () => {
    const connector = new MemoryConnector();
    const node = scan(table, 't', [0], [call('lt', [id, literal(15, INTEGER)], BOOLEAN)], 10);
    const rows = await collectRows(new ScanExec(node, { roots, connectorFor: () => connector }));
    expect(rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(connector.requests[0].limit).toBe(10);
    expect(connector.requests).toHaveLength(2);
  });

  it('reads only the given splits', async () => {
    const connector = new MemoryConnector();
    const rows = await collectRows(
      new ScanExec(scan(table, 't', [0]), {
        roots,
        connectorFor: () => connector,
        splits: [{ info: { start: 16 } }],
      }),
    );
    expect(rows.map((r) => r[0])).toEqual([16, 17, 18, 19]);
  });

  it('hands the connector one context, with its roots and signal, for planning and every split', async () => {
    const connector = new MemoryConnector();
    const exec = new ScanExec(scan(table, 't', [0]), { roots, connectorFor: () => connector });
    const controller = new AbortController();
    let rows = 0;
    for await (const batch of exec.execute(controller.signal)) rows += batch.numRows;
    expect(rows).toBe(20);
    expect(connector.contexts).toHaveLength(4);
    expect(new Set(connector.contexts).size).toBe(1);
    expect(connector.contexts[0]).toEqual({ roots, signal: controller.signal });
  });

  it('refuses a table whose location names a file outside the roots, whoever built it', async () => {
    const passwd: TableRef = { ...table, location: { ...csvLocation, file: '/etc/passwd' } };
    const exec = new ScanExec(scan(passwd, 't', [0]), { roots });
    const error = await collectRows(exec).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PATH_NOT_ALLOWED', details: { path: '/etc/passwd' } });
  });

  it('fails with SOURCE_CHANGED when a file changed since the snapshot the planner carried', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'scan-snapshot-'));
    try {
      const file = join(folder, 't.csv');
      await writeFile(file, '1:a:2\n3:b:4\n');
      const location = { ...csvLocation, file };
      const snapshot = await takeTableSnapshot('csv', location, [folder]);
      const ref: TableRef = { ...table, location: { ...location, [SNAPSHOT_LOCATION_KEY]: snapshot } };
      expect(await collectRows(new ScanExec(scan(ref, 't', [0]), { roots: [folder] }))).toHaveLength(2);
      await writeFile(file, '1:a:2:extra\n3:b:4:extra\n');
      const error = await collectRows(new ScanExec(scan(ref, 't', [0]), { roots: [folder] })).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'SOURCE_CHANGED', details: { source: 'mem', table: 't' } });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('scans TPC-H parquet through the registered connector, matching DuckDB', async () => {
    const connector = connectorFor('parquet');
    const [found] = await connector.discover(
      '/work/shared/data/tpch/sf0.01/parquet/nation.parquet',
      {},
      { roots },
    );
    const nation: TableRef = {
      source: 's',
      table: found.name,
      sourceType: 'parquet',
      columns: found.columns,
      location: found.location,
    };
    const key = found.columns.findIndex((c) => c.name === 'n_regionkey');
    const name = found.columns.findIndex((c) => c.name === 'n_name');
    const node = scan(
      nation,
      'nation',
      [name],
      [
        call(
          'eq',
          [column(key, 'n_regionkey', found.columns[key].type), literal(1, found.columns[key].type)],
          BOOLEAN,
        ),
      ],
    );
    const rows = await collectRows(new ScanExec(node, { roots }));
    const expected = await duckRows(
      `SELECT n_name FROM '/work/shared/data/tpch/sf0.01/parquet/nation.parquet' WHERE n_regionkey = 1`,
    );
    expect(sortedRows(rows)).toEqual(sortedRows(expected));
    expect(rows.length).toBe(5);
  });
});
