/** What the Parquet encoder thread is started with (its workerData). */
export interface ParquetEncoderOptions {
  /** Rows per row group: smaller ones let a sorted file's statistics skip more of it. */
  readonly rowGroupRows?: number;
}

/** From the coordinator to the Parquet encoder thread: a batch as an Arrow IPC stream, or the end of the input. */
export type ParquetEncoderRequest =
  { readonly type: 'batch'; readonly ipc: Uint8Array } | { readonly type: 'end' };

/** From the Parquet encoder thread: it wants a batch, bytes of the file, the file is whole, or it failed. */
export type ParquetEncoderReply =
  | { readonly type: 'ready' }
  | { readonly type: 'chunk'; readonly bytes: Uint8Array }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };
