import { generateTpch } from '@tributary/tpch';

/** The demo source is TPC-H at this scale: 8 tables, lineitem 60,175 rows, about 11 MB of CSV. */
export const DEMO_SCALE_FACTOR = 0.01;

/**
 * Writes the demo dataset into `folder`: TPC-H SF 0.01 as CSV from the project's generator
 * (the same rows on every machine), so the 22 TPC-H queries and the README's examples run
 * on it. Generated on one worker thread, so the coordinator's event loop stays free.
 */
export async function writeDemoData(folder: string): Promise<void> {
  await generateTpch({ scaleFactor: DEMO_SCALE_FACTOR, format: 'csv', out: folder, workers: 1 });
}
