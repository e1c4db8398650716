import path from 'node:path';
import { parseArgs } from 'node:util';
import { TPCH_FORMATS, type TpchFormat } from './generate-task.ts';
import { generateTpch } from './generate-tpch.ts';

/** `npm run tpch-gen -- --sf 1 --format parquet --out <dir> [--threads N]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sf: { type: 'string', default: '1' },
      format: { type: 'string', default: 'parquet' },
      out: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  const scaleFactor = Number(values.sf);
  const format = values.format as TpchFormat;
  if (!TPCH_FORMATS.includes(format))
    throw new Error(`--format is one of ${TPCH_FORMATS.join(', ')}, not ${values.format}`);
  if (!(scaleFactor > 0)) throw new Error(`--sf takes a positive number, not ${values.sf}`);
  const out = path.resolve(values.out ?? path.join('.tributary', 'tpch', `sf${values.sf}`, format));
  console.log(`TPC-H SF ${scaleFactor} as ${format} into ${out}`);
  const report = await generateTpch({
    scaleFactor,
    format,
    out,
    workers: values.threads === undefined ? undefined : Number(values.threads),
    log: (message) => console.log(`  ${message}`),
  });
  console.log(`done in ${(report.elapsedMs / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
