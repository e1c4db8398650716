/** WebAssembly's trap error (not in the TypeScript libraries this project compiles with). */
const WasmTrap = (globalThis as unknown as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly
  .RuntimeError;

/**
 * Whether a WebAssembly module trapped somewhere in the error's cause chain (parquet-wasm
 * panicking on a corrupt file): its memory may then be inconsistent, so the instance (or the
 * thread that ran it) should run nothing more.
 */
export function isWasmTrap(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as Error).cause)
    if (e instanceof WasmTrap) return true;
  return false;
}
