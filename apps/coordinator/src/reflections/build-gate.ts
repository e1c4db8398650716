import { existsSync, writeFileSync } from 'node:fs';

/**
 * A test's hold on a build between writing its files and switching them in, to kill the
 * process at that moment deterministically (e2e/reflections.test.ts): while the file named by
 * TRIBUTARY_REFLECTION_BUILD_GATE exists, a build that got there writes `<gate>.reached` and
 * waits until the file is removed. Unset (always, outside tests) or absent: no hold.
 */
export function buildGate(
  gate = process.env.TRIBUTARY_REFLECTION_BUILD_GATE,
): (() => Promise<void>) | undefined {
  if (!gate) return undefined;
  return async () => {
    if (!existsSync(gate)) return;
    writeFileSync(`${gate}.reached`, '');
    while (existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 20));
  };
}
