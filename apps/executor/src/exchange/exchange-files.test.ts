import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WHOLE_READ_BYTES, readExchangeFile } from './exchange-files.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exchange-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function bytesOf(body: ReturnType<typeof readExchangeFile>): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('readExchangeFile', () => {
  it('reads a small file whole and streams a large one, with the same bytes', async () => {
    const small = Buffer.alloc(1000, 7);
    const large = Buffer.alloc(WHOLE_READ_BYTES + 1);
    for (let i = 0; i < large.length; i++) large[i] = i % 251;
    await writeFile(join(dir, 'small'), small);
    await writeFile(join(dir, 'large'), large);
    const whole = readExchangeFile(join(dir, 'small'));
    expect(Buffer.isBuffer(whole)).toBe(true);
    expect(await bytesOf(whole)).toEqual(small);
    const streamed = readExchangeFile(join(dir, 'large'));
    expect(Buffer.isBuffer(streamed)).toBe(false);
    expect((await bytesOf(streamed)).equals(large)).toBe(true);
  });

  it('throws at once for a file that is not there', () => {
    expect(() => readExchangeFile(join(dir, 'gone'))).toThrow(/ENOENT/);
  });
});
