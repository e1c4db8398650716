import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExchangeFiles, WHOLE_READ_BYTES } from './exchange-files.ts';

let files: ExchangeFiles;
beforeEach(async () => {
  files = new ExchangeFiles(await mkdtemp(join(tmpdir(), 'exchange-files-')));
  await mkdir(files.exchangeDir('q1'), { recursive: true });
});
afterEach(() => rm(files.workDir, { recursive: true, force: true }));

async function bytesOf(body: ReturnType<ExchangeFiles['readPartition']>): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('ExchangeFiles.readPartition', () => {
  it('reads a small partition whole and streams a large one, with the same bytes', async () => {
    const small = Buffer.alloc(1000, 7);
    const large = Buffer.alloc(WHOLE_READ_BYTES + 1);
    for (let i = 0; i < large.length; i++) large[i] = i % 251;
    await writeFile(files.partitionFile('q1', 't1', 0), small);
    await writeFile(files.partitionFile('q1', 't1', 1), large);
    const whole = files.readPartition('q1', 't1', 0);
    expect(Buffer.isBuffer(whole)).toBe(true);
    expect(await bytesOf(whole)).toEqual(small);
    const streamed = files.readPartition('q1', 't1', 1);
    expect(Buffer.isBuffer(streamed)).toBe(false);
    expect((await bytesOf(streamed)).equals(large)).toBe(true);
  });

  it('throws at once for a partition that is not there', () => {
    expect(() => files.readPartition('q1', 't1', 2)).toThrow(/ENOENT/);
  });
});
