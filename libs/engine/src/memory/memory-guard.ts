import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { ResourceError } from '@tributary/common';

const MB = 1024 * 1024;

/**
 * The memory a process lets its buffering operators (sort, hash-join build, hash
 * aggregation) grow to: TRIBUTARY_MEMORY_LIMIT_MB, by default half of the machine's
 * memory; and, for objects on the V8 heap, 90% of the heap limit. Past either, the query
 * fails with QUERY_MEMORY_EXCEEDED instead of the process dying of out-of-memory and
 * taking every other query with it. (Spilling to disk is the later cure.)
 */
export interface MemoryLimits {
  /** For live JS objects plus ArrayBuffers (the columns); RSS would not fall after a big query. */
  readonly dataBytes: number;
  readonly heapBytes: number;
}

export function defaultMemoryLimits(env: NodeJS.ProcessEnv = process.env): MemoryLimits {
  const configured = Number(env.TRIBUTARY_MEMORY_LIMIT_MB);
  return {
    dataBytes: configured > 0 ? configured * MB : totalmem() / 2,
    heapBytes: getHeapStatistics().heap_size_limit * 0.9,
  };
}

let limits: MemoryLimits | undefined;

/** Throws QUERY_MEMORY_EXCEEDED when the process is past its limits; cheap enough per batch. */
export function assertMemoryAvailable(
  operator: string,
  current: MemoryLimits = (limits ??= defaultMemoryLimits()),
): void {
  const usage = process.memoryUsage();
  const data = usage.heapUsed + usage.arrayBuffers;
  const over =
    data > current.dataBytes
      ? `${Math.round(data / MB)} MB in use (limit ${Math.round(current.dataBytes / MB)} MB)`
      : usage.heapUsed > current.heapBytes
        ? `${Math.round(usage.heapUsed / MB)} MB of heap (limit ${Math.round(current.heapBytes / MB)} MB)`
        : undefined;
  if (over) {
    throw new ResourceError(
      'QUERY_MEMORY_EXCEEDED',
      `${operator} needs more memory than this process may use: ${over}; ` +
        'filter or aggregate more before sorting or joining, or raise TRIBUTARY_MEMORY_LIMIT_MB',
      { details: { operator } },
    );
  }
}
