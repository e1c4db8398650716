import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startTributary, type TributaryProcess } from './harness.ts';

const run = promisify(execFile);

/** The shell blocks of the README's "Try it" section, each a list of commands (continuations joined, comments dropped). */
function tryItBlocks(): string[][] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('## Try it\n');
  const end = readme.indexOf('\n### ', start);
  expect(start, 'the README has a "Try it" section').toBeGreaterThan(0);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    m[1]
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
      .filter((line) => line !== ''),
  );
}

/**
 * The README's first-run examples, followed literally as a new user would: `npm start` from
 * the repository folder with nothing configured (the harness starts the same entry with the
 * shipped defaults; only the port differs), then every command of the next block.
 */
describe("the README's first-run examples", () => {
  let service: TributaryProcess | undefined;
  const blocks = tryItBlocks();

  beforeAll(async () => {
    // No TRIBUTARY_SOURCE_ROOTS: the shipped default, the repository folder (the working directory).
    service = await startTributary({ executors: 1, demo: true, env: { TRIBUTARY_SOURCE_ROOTS: '' } });
  }, 120_000);

  afterAll(async () => {
    await service?.dispose();
  });

  it('start the service with a plain npm start', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks[0]).toEqual(['npm start']);
  });

  it('each work as written, and every query and registration succeeds', async () => {
    const commands = blocks[1];
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const port = new URL(service!.url).port;
    for (const command of commands) {
      const local = command.replaceAll('localhost:9047', `127.0.0.1:${port}`);
      const { stdout } = await run('bash', ['-c', local], {
        cwd: repoRoot,
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      if (!command.startsWith('curl')) continue;
      const answer = JSON.parse(stdout) as { code?: string; rows?: unknown[][]; tables?: unknown[] };
      expect(answer.code, `${command}\n${stdout.slice(0, 1_000)}`).toBeUndefined();
      if (command.includes('/api/v1/sql')) expect(answer.rows?.length, command).toBeGreaterThan(0);
      if (command.includes('/api/v1/sources')) expect(answer.tables?.length, command).toBe(8);
    }
  }, 180_000);
});
