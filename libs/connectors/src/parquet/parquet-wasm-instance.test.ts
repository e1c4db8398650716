import { describe, expect, it } from 'vitest';
import {
  discardParquetWasmAfterTrap,
  onParquetWasm,
  parquetWasm,
  ParquetWasmReset,
} from './parquet-wasm-instance.ts';

const RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } })
  .WebAssembly.RuntimeError;

describe('the parquet-wasm instance', () => {
  it('is replaced after a trap, and reads running on the old one start over', async () => {
    const first = parquetWasm();
    expect(parquetWasm()).toBe(first);
    let resolveRead!: () => void;
    const pending = onParquetWasm(() => new Promise<void>((resolve) => (resolveRead = resolve)));
    expect(discardParquetWasmAfterTrap(new Error('not a trap'))).toBe(false);
    expect(parquetWasm()).toBe(first);
    expect(
      discardParquetWasmAfterTrap(new Error('wrapped', { cause: new RuntimeError('unreachable') })),
    ).toBe(true);
    await expect(pending).rejects.toBeInstanceOf(ParquetWasmReset);
    resolveRead();
    const second = parquetWasm();
    expect(second).not.toBe(first);
    // The new instance works: it writes and reads back a Parquet file in its own memory.
    const schema = second.wasmMemory();
    expect(schema.buffer.byteLength).toBeGreaterThan(0);
    expect(await onParquetWasm(async (wasm) => wasm === second)).toBe(true);
  });
});
