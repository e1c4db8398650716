import { existsSync } from 'node:fs';

/**
 * Holds a process that has loaded its code before it reads its configuration or touches its
 * data dir, until the file named by TRIBUTARY_START_GATE exists (at once when unset). Loading
 * the coordinator's modules costs seconds of CPU; a test that restarts the coordinator many
 * times (e2e/crash-and-restart.test.ts) starts the next process while the current one runs and
 * opens its gate once the current one is dead, so each restart costs only what start-up does
 * with the data dir, which is what such a test is about.
 */
export async function passStartGate(gate = process.env.TRIBUTARY_START_GATE): Promise<void> {
  if (!gate) return;
  while (!existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 10));
}
