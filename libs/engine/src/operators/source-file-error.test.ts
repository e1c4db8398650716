import { isWasmTrap, SourceError, TributaryError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { discoveryError, locationFile, sourceFileError } from './source-file-error.ts';

const table = (location: Record<string, unknown>): TableRef => ({
  source: 'src',
  table: 'orders',
  sourceType: 'sqlite',
  columns: [],
  location,
});

/** A real trap, as parquet-wasm raises one: a module whose only function runs `unreachable`. */
function wasmTrap(): Error {
  // (module (func (export "trap") unreachable))
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
    0x00, 0x07, 0x08, 0x01, 0x04, 0x74, 0x72, 0x61, 0x70, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00,
    0x0b,
  ]);
  const wasm = (
    globalThis as unknown as {
      WebAssembly: {
        Module: new (b: Uint8Array) => object;
        Instance: new (m: object) => { exports: { trap: () => void } };
      };
    }
  ).WebAssembly;
  try {
    new wasm.Instance(new wasm.Module(bytes)).exports.trap();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the module did not trap');
}

describe('sourceFileError', () => {
  it('names the table and the file of a CSV or Parquet location, the database of a SQLite one', () => {
    expect(locationFile({ file: '/d/a.csv' })).toBe('/d/a.csv');
    expect(locationFile({ database: '/d/x.sqlite', table: 't' })).toBe('/d/x.sqlite');
    expect(locationFile({ rowids: [1, 2] })).toBeUndefined();
    const error = sourceFileError(
      new Error('database disk image is malformed'),
      table({ database: '/d/x.sqlite' }),
    );
    expect(error).toBeInstanceOf(SourceError);
    expect(error.code).toBe('SOURCE_FILE_INVALID');
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'cannot read src.orders (file "/d/x.sqlite"): database disk image is malformed',
    );
  });

  it("prefers the split's file (one file of a folder) to the table's", () => {
    const error = sourceFileError(new Error('bad page'), table({ path: '/d' }), {
      file: '/d/part-2.parquet',
    });
    expect(error.message).toContain('"/d/part-2.parquet"');
  });

  it('keeps a Tributary error as it is', () => {
    const typed = new SourceError('CSV_RAGGED_ROW', 'line 3 of "/d/a.csv" has 2 fields, expected 3');
    expect(sourceFileError(typed, table({ file: '/d/a.csv' }))).toBe(typed);
    expect(discoveryError(typed, '/d/a.csv')).toBe(typed);
  });

  it('says a trap was its decoder failing, and finds a trap through causes', () => {
    const trap = wasmTrap();
    expect(isWasmTrap(trap)).toBe(true);
    expect(isWasmTrap(new Error('x', { cause: trap }))).toBe(true);
    expect(isWasmTrap(new Error('unreachable'))).toBe(false);
    const error = discoveryError(trap, '/d/bad.parquet');
    expect(error).toBeInstanceOf(TributaryError);
    expect(error.code).toBe('SOURCE_FILE_INVALID');
    expect(error.message).toMatch(/^cannot read "\/d\/bad\.parquet": its decoder failed \(unreachable/);
    expect(isWasmTrap(error)).toBe(true);
  });
});
