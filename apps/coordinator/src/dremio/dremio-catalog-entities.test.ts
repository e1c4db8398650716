import { mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceRecord, TableRecord, ViewRecord } from '@tributary/catalog';
import { BIGINT, VARCHAR, decimal } from '@tributary/common';
import {
  childrenOf,
  physicalDatasetId,
  rootContainer,
  sourceEntity,
  spaceEntity,
  tableEntity,
  tableTag,
  viewEntity,
} from './dremio-catalog-entities.ts';
import { detectFileFormat, mapDremioSource } from './dremio-source-config.ts';

const at = '2023-01-12T18:44:43.237Z';
const space = {
  id: '5442c00a-ada1-48c6-82fc-bb804b2e04e0',
  name: 'Example-Space',
  tag: 'zzOQfjY9lU0',
  createdAt: at,
  updatedAt: at,
};
const folder = {
  id: '8da037a1',
  path: ['Example-Space', 'testfolder'],
  tag: '0McuCL4MzBU',
  createdAt: at,
  updatedAt: at,
};
const view: ViewRecord = {
  id: 'f32dfe85',
  path: ['Example-Space', 'travel_testing'],
  sql: 'SELECT * FROM "NYC-taxi-trips" WHERE trip_distance_mi <= 2.0',
  context: ['Samples', 'samples.dremio.com'],
  owner: 'ann',
  columns: [
    { name: 'passenger_count', type: BIGINT },
    { name: 'fare', type: decimal(15, 2) },
  ],
  tag: 'i4mnlSmHqVM',
  createdAt: at,
  updatedAt: at,
};
const nested: ViewRecord = { ...view, id: 'deep', path: ['Example-Space', 'testfolder', 'deep'] };
const source: SourceRecord = {
  id: '2b1be882-7012-4a99-8d6c-82e32e4562e4',
  tag: 'T0Zr1FOY3A',
  name: 'tpch',
  type: 'parquet',
  path: '/data/tpch',
  options: {},
  createdAt: at,
  updatedAt: at,
};
const table: TableRecord = {
  source: 'tpch',
  name: 'nation',
  columns: [
    { name: 'n_nationkey', type: BIGINT },
    { name: 'n_name', type: VARCHAR },
  ],
  location: {},
  snapshot: { fingerprint: 'f1' },
};

/** Each expectation follows Dremio's documented objects (docs.dremio.com, API Reference → Catalog). */
describe("Dremio's catalog entities", () => {
  it('lists the root as CONTAINERs: {id, path, tag, type, containerType, createdAt} (Catalog object)', () => {
    expect(rootContainer({ kind: 'space', space })).toEqual({
      id: space.id,
      path: ['Example-Space'],
      tag: space.tag,
      type: 'CONTAINER',
      containerType: 'SPACE',
      createdAt: at,
    });
    expect(rootContainer({ kind: 'source', source })).toMatchObject({
      path: ['tpch'],
      containerType: 'SOURCE',
    });
  });

  it('shows a space with its direct children, folders then views (Space object)', () => {
    const entity = spaceEntity(space, childrenOf(['Example-Space'], [folder], [view, nested]));
    expect(entity).toEqual({
      entityType: 'space',
      id: space.id,
      name: 'Example-Space',
      tag: space.tag,
      createdAt: at,
      children: [
        {
          id: folder.id,
          path: folder.path,
          tag: folder.tag,
          type: 'CONTAINER',
          containerType: 'FOLDER',
          createdAt: at,
        },
        {
          id: view.id,
          path: view.path,
          tag: view.tag,
          type: 'DATASET',
          datasetType: 'VIRTUAL',
          createdAt: at,
        },
      ],
    });
  });

  it('shows a view as a VIRTUAL_DATASET with sql, sqlContext and typed fields (View object)', () => {
    expect(viewEntity(view)).toEqual({
      entityType: 'dataset',
      id: view.id,
      type: 'VIRTUAL_DATASET',
      path: view.path,
      createdAt: at,
      tag: view.tag,
      sql: view.sql,
      sqlContext: ['Samples', 'samples.dremio.com'],
      fields: [
        { name: 'passenger_count', type: { name: 'BIGINT' } },
        { name: 'fare', type: { name: 'DECIMAL', precision: 15, scale: 2 } },
      ],
      owner: { ownerName: 'ann', ownerType: 'USER' },
    });
  });

  it("shows a source's table as a PHYSICAL_DATASET whose id and tag come from what it is", () => {
    const entity = tableEntity(source, table);
    expect(entity).toMatchObject({
      entityType: 'dataset',
      type: 'PHYSICAL_DATASET',
      path: ['tpch', 'nation'],
      format: { type: 'Parquet' },
      fields: [
        { name: 'n_nationkey', type: { name: 'BIGINT' } },
        { name: 'n_name', type: { name: 'VARCHAR' } },
      ],
    });
    expect(entity.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Stable: the same source and name (in any case) give the same id; another table another.
    expect(physicalDatasetId(source.id, 'NATION')).toBe(entity.id);
    expect(physicalDatasetId(source.id, 'region')).not.toBe(entity.id);
    expect(tableTag({ ...table, snapshot: { fingerprint: 'f2' } })).not.toBe(entity.tag);
  });

  it('shows a source with its tables as children and its config (Source object)', () => {
    const entity = sourceEntity(source, [table], { path: '/data/tpch', options: { x: 1 } });
    expect(entity).toMatchObject({
      entityType: 'source',
      id: source.id,
      tag: source.tag,
      type: 'NAS',
      name: 'tpch',
      createdAt: at,
      config: { path: '/data/tpch', format: 'parquet', x: 1 },
      children: [{ path: ['tpch', 'nation'], type: 'DATASET', datasetType: 'PROMOTED' }],
    });
    expect(sourceEntity({ ...source, type: 'sqlite' }, [], { options: {} })).toMatchObject({
      type: 'SQLITE',
      config: {},
    });
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("Dremio's source types", () => {
  it('maps NAS with config.path onto a CSV or Parquet source, and refuses what it cannot read', () => {
    expect(mapDremioSource('NAS', { path: '/d', format: 'text', defaultCtasFormat: 'ICEBERG' })).toEqual({
      type: 'csv',
      path: '/d',
      options: {},
    });
    expect(mapDremioSource('NAS', { path: '/d' }).type).toBe('detect');
    expect(mapDremioSource('SQLITE', { path: '/d/x.db', y: 2 })).toEqual({
      type: 'sqlite',
      path: '/d/x.db',
      options: { y: 2 },
    });
    expect(() => mapDremioSource('S3', { path: '/d' })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SOURCE_TYPE', status: 400 }),
    );
    expect(() => mapDremioSource('NAS', {})).toThrow(
      expect.objectContaining({ code: 'INVALID_SOURCE_PATH' }),
    );
    expect(() => mapDremioSource('NAS', { path: '/d', format: 'ORC' })).toThrow(
      expect.objectContaining({ code: 'INVALID_SOURCE_OPTIONS' }),
    );
  });

  it("tells a folder's format by its files, inside the roots only", async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'nas-')));
    dirs.push(root);
    mkdirSync(join(root, 'p', 'sub'), { recursive: true });
    writeFileSync(join(root, 'p', 'sub', 'a.parquet'), '');
    mkdirSync(join(root, 'c'));
    writeFileSync(join(root, 'c', 'a.csv'), 'x\n1\n');
    mkdirSync(join(root, 'none'));
    writeFileSync(join(root, 'none', 'a.json'), '{}');
    expect(await detectFileFormat(join(root, 'p'), [root])).toBe('parquet');
    expect(await detectFileFormat(join(root, 'c'), [root])).toBe('csv');
    expect(await detectFileFormat(join(root, 'c', 'a.csv'), [root])).toBe('csv');
    await expect(detectFileFormat(join(root, 'none'), [root])).rejects.toMatchObject({
      code: 'NO_TABLES_FOUND',
    });
    await expect(detectFileFormat(join(root, 'p'), [join(root, 'c')])).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
  });
});
