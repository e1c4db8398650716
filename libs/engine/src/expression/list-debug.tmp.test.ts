import { it } from 'vitest';
import { ColumnBuilder, listOf, VARCHAR, makeRecordBatch } from '@tributary/common';
import { compileExpression } from './compile-expression.ts';
it('debug', () => {
  const t = listOf(VARCHAR);
  const b = new ColumnBuilder(t);
  b.appendNull(); b.appendList(['a']);
  const batch = makeRecordBatch([{ name: 'l', type: t }], [b.finish()], 2);
  const e = compileExpression({ kind: 'column', index: 0, name: 'l', type: t }, [{ name: 'l', type: t, nullable: true }]);
  console.log(e(batch, new Uint32Array([0, 1]), 2));
  const e2 = compileExpression({ kind: 'call', fn: 'list_length', args: [{ kind: 'column', index: 0, name: 'l', type: t }], type: { kind: 'BIGINT' } }, [{ name: 'l', type: t, nullable: true }]);
  console.log(e2(batch));
});
