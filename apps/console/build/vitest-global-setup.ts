import { buildConsole } from './build-console.ts';

/**
 * Tests that start a coordinator serve the console: it is built once, before any of them,
 * when stale. A console that does not build fails its own browser test (the page says it is
 * not built), not every other test of the run.
 */
export default async function setup(): Promise<void> {
  try {
    await buildConsole({ ifStale: true });
  } catch (error) {
    process.stderr.write(
      `the console did not build: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
