import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compileFunction } from 'node:vm';
import { isWasmTrap } from '@tributary/common';

/** The API of parquet-wasm's Node build (one instance of it). */
export type ParquetWasm = typeof import('parquet-wasm/node');

/** What this project's TypeScript libraries leave out of WebAssembly. */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

const require = createRequire(import.meta.url);
const gluePath = require.resolve('parquet-wasm/node');

/** parquet-wasm's glue code as a function: each call makes a new module scope and instance. */
let glue: ((...args: unknown[]) => void) | undefined;
/** Compiled once per thread: instantiating a compiled module takes milliseconds, compiling it far more. */
let compiled: object | undefined;
let current: ParquetWasm | undefined;

/**
 * A new parquet-wasm instance with fresh linear memory, from the module compiled once. The
 * Node glue is CommonJS that reads the .wasm file and compiles it at load: it is evaluated
 * here with a WebAssembly whose Module is the compiled one, so only the instance is new.
 */
function instantiate(): ParquetWasm {
  const folder = path.dirname(gluePath);
  compiled ??= new webAssembly.Module(readFileSync(path.join(folder, 'parquet_wasm_bg.wasm')));
  glue ??= compileFunction(
    readFileSync(gluePath, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname', 'WebAssembly'],
    { filename: gluePath },
  ) as (...args: unknown[]) => void;
  const module = { exports: {} };
  // `new WebAssembly.Module(bytes)` in the glue gets the compiled module (a constructor
  // returning an object yields that object).
  const shadow = Object.create(webAssembly, {
    Module: {
      value: function Module() {
        return compiled;
      },
    },
  }) as WebAssemblyApi;
  const noWasmFile = (id: string) => (id === 'fs' ? { readFileSync: () => new Uint8Array(0) } : require(id));
  glue(module.exports, noWasmFile, module, gluePath, folder, shadow);
  return module.exports as ParquetWasm;
}

/** Thrown into a read the instance was taken from under by another read's trap: read again. */
export class ParquetWasmReset extends Error {
  constructor() {
    super('the Parquet decoder was reset after another read failed');
  }
}

/** Rejecters of the reads running on the current instance. */
const running = new Set<(error: Error) => void>();

/** The thread's current parquet-wasm instance (made on first use, and again after a trap). */
export function parquetWasm(): ParquetWasm {
  return (current ??= instantiate());
}

/**
 * Runs a read on the current instance. Should the instance be discarded meanwhile (another
 * read trapped), the read rejects with ParquetWasmReset, whatever became of its own promise.
 */
export function onParquetWasm<T>(read: (wasm: ParquetWasm) => Promise<T>): Promise<T> {
  const wasm = parquetWasm();
  let reject!: (error: Error) => void;
  const reset = new Promise<never>((_, r) => (reject = r));
  running.add(reject);
  return Promise.race([read(wasm), reset]).finally(() => running.delete(reject));
}

/**
 * After a WebAssembly trap (parquet-wasm panicking on a corrupt file) an instance's memory may
 * be inconsistent, and a trap inside one of its own callbacks leaves the read that caused it
 * pending for ever. So the instance is dropped (the garbage collector frees its memory), every
 * read still running on it rejects with ParquetWasmReset, and the next read makes a fresh
 * instance: no thread has to die. True when `error` was such a trap.
 */
export function discardParquetWasmAfterTrap(error: unknown): boolean {
  if (!isWasmTrap(error)) return false;
  current = undefined;
  const readers = [...running];
  running.clear();
  for (const reject of readers) reject(new ParquetWasmReset());
  return true;
}
