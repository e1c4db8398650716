import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/console: index.html and src/ are Vite's input; dist/ is what the coordinator serves. */
export const CONSOLE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');
const LOCK = join(CONSOLE_ROOT, '.build-lock');
/** A lock older than this was left by a build that died: it is taken over. */
const STALE_LOCK_MS = 180_000;

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether dist is missing or older than any of the console's sources (or the lockfile: new library versions). */
export function consoleIsStale(): boolean {
  const built = statSync(join(CONSOLE_DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(
    newestMtime(join(CONSOLE_ROOT, 'src')),
    newestMtime(join(CONSOLE_ROOT, 'index.html')),
    newestMtime(join(CONSOLE_ROOT, 'build')),
    newestMtime(resolve(CONSOLE_ROOT, '../../package-lock.json')),
  );
  return built < sources;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the build lock (a directory: mkdir is atomic), waiting for another build to end. */
async function lock(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(200);
    }
  }
}

/**
 * Builds the console with Vite into dist. The build goes to a folder of its own that then
 * replaces dist, so a coordinator serving meanwhile never sees half a build; a lock keeps
 * parallel callers (test files starting coordinators, `npm start`) from building at once.
 */
export async function buildConsole(options: { ifStale?: boolean; log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.ifStale && !consoleIsStale()) return { built: false, ms: 0 };
  const unlock = await lock();
  try {
    // Another caller may have built it while this one waited.
    if (options.ifStale && !consoleIsStale()) return { built: false, ms: 0 };
    const started = performance.now();
    log('building the console (apps/console → dist)…');
    const { build } = await import('vite');
    const out = `${CONSOLE_DIST}.tmp-${process.pid}`;
    await build({
      root: CONSOLE_ROOT,
      configFile: false,
      logLevel: 'warn',
      base: '/',
      build: {
        outDir: out,
        emptyOutDir: true,
        target: 'es2022',
        chunkSizeWarningLimit: 800,
        reportCompressedSize: false,
      },
    });
    const old = `${CONSOLE_DIST}.old-${process.pid}`;
    if (statSync(CONSOLE_DIST, { throwIfNoEntry: false })) renameSync(CONSOLE_DIST, old);
    renameSync(out, CONSOLE_DIST);
    rmSync(old, { recursive: true, force: true });
    const ms = Math.round(performance.now() - started);
    log(`console built in ${ms} ms`);
    return { built: true, ms };
  } finally {
    unlock();
  }
}

// `node --import tsx apps/console/build/build-console.ts [--if-stale]` (npm's prestart and console:build).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildConsole({ ifStale: process.argv.includes('--if-stale') });
}
