import { PassThrough } from 'node:stream';
import { ParquetResultEncoder } from '/work/main/apps/coordinator/src/results/parquet-result-encoder.ts';
import { testBatch, TEST_FIELDS } from '/work/main/apps/coordinator/src/results/test-batch.ts';
import { openSync, fsyncSync, closeSync, writeFileSync, mkdirSync } from 'node:fs';
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const out = new PassThrough(); out.resume();
  const e = new ParquetResultEncoder();
  await e.begin(out, TEST_FIELDS);
  const t1 = performance.now();
  await e.write(testBatch());
  await e.end();
  const t2 = performance.now();
  mkdirSync('/tmp/fs-bench', { recursive: true });
  writeFileSync('/tmp/fs-bench/f' + i, 'x'.repeat(2000));
  const fd = openSync('/tmp/fs-bench/f' + i, 'r'); fsyncSync(fd); closeSync(fd);
  const t3 = performance.now();
  console.log(`begin ${(t1 - t0).toFixed(0)} ms, encode+end ${(t2 - t1).toFixed(0)} ms, fsync ${(t3 - t2).toFixed(1)} ms`);
}
