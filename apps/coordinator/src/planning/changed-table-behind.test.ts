import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIGINT } from '@tributary/common';
import { SNAPSHOT_LOCATION_KEY, takeTableSnapshot } from '@tributary/connectors';
import type { TableRef } from '@tributary/plan';
import { changedTableBehind } from './changed-table-behind.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
});

async function table(folder: string, name: string): Promise<TableRef> {
  const file = join(folder, `${name}.csv`);
  await writeFile(file, 'k\n1\n');
  const location = { file };
  const snapshot = await takeTableSnapshot('csv', location, [folder]);
  return {
    source: 'src',
    table: name,
    sourceType: 'csv',
    columns: [{ name: 'k', type: BIGINT }],
    location: { ...location, [SNAPSHOT_LOCATION_KEY]: snapshot },
  };
}

describe('changedTableBehind', () => {
  it('names the changed table the SQL mentions, and nothing when none it mentions changed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'changed-behind-'));
    folders.push(folder);
    const tables = [await table(folder, 'orders'), await table(folder, 'orders_old')];
    expect(await changedTableBehind('SELECT note FROM src.orders', tables, [folder])).toBeUndefined();
    await writeFile(join(folder, 'orders_old.csv'), 'k,note\n1,x\n');
    // "orders" is not "orders_old": only a whole identifier counts.
    expect(await changedTableBehind('SELECT note FROM src.orders', tables, [folder])).toBeUndefined();
    const error = await changedTableBehind('SELECT note FROM "src"."orders_old"', tables, [folder]);
    expect(error).toMatchObject({
      code: 'SOURCE_CHANGED',
      details: { source: 'src', table: 'orders_old' },
    });
  });
});
