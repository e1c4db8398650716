import { totalmem } from 'node:os';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ResourceError } from '@tributary/common';

const MB = 1024 * 1024;

/**
 * The process's last line of defence, behind the budgets operators reserve from
 * (memory-pool.ts): the memory the whole process may hold (twice TRIBUTARY_MEMORY_LIMIT_MB
 * plus 512 MB, or half of the machine's memory), and 90% of the V8 heap limit. Past either,
 * the query fails with QUERY_MEMORY_EXCEEDED instead of the process dying of out-of-memory
 * and taking every other query with it.
 */
export interface MemoryLimits {
  /** For live JS objects plus ArrayBuffers (the columns); RSS would not fall after a big query. */
  readonly dataBytes: number;
  readonly heapBytes: number;
}

export function defaultMemoryLimits(env: NodeJS.ProcessEnv = process.env): MemoryLimits {
  const configured = Number(env.TRIBUTARY_MEMORY_LIMIT_MB);
  return {
    // Operators reserve within TRIBUTARY_MEMORY_LIMIT_MB (MemoryPool); this backstop leaves room
    // above it for what they do not reserve (caches, batches in flight).
    dataBytes: configured > 0 ? Math.min(totalmem() * 0.9, configured * MB * 2 + 512 * MB) : totalmem() / 2,
    heapBytes: getHeapStatistics().heap_size_limit * 0.9,
  };
}

let limits: MemoryLimits | undefined;
let collectGarbage: (() => void) | undefined;

/**
 * What is over the limits now, or undefined. From V8's heap statistics (0.3 µs), not
 * process.memoryUsage() (12 µs: it reads /proc for the RSS, which is not checked): the external
 * memory they give is the ArrayBuffers' and what else JS objects hold outside the heap.
 */
function overLimits(current: MemoryLimits): string | undefined {
  const { used_heap_size: heapUsed, external_memory: external } = getHeapStatistics();
  const data = heapUsed + external;
  if (data > current.dataBytes) {
    return `${Math.round(data / MB)} MB in use (limit ${Math.round(current.dataBytes / MB)} MB)`;
  }
  if (heapUsed > current.heapBytes) {
    return `${Math.round(heapUsed / MB)} MB of heap (limit ${Math.round(current.heapBytes / MB)} MB)`;
  }
  return undefined;
}

/**
 * A full garbage collection, so that memory a finished (or failed) query left behind is not
 * counted against the next one. Node exposes `gc` only behind a flag, set here on demand.
 */
function fullGc(): void {
  if (!collectGarbage) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
}

/**
 * Throws QUERY_MEMORY_EXCEEDED when the process is past its limits even after a full
 * garbage collection; a cheap check per batch while under them.
 */
export function assertMemoryAvailable(
  operator: string,
  current: MemoryLimits = (limits ??= defaultMemoryLimits()),
): void {
  if (!overLimits(current)) return;
  fullGc();
  const over = overLimits(current);
  if (over) {
    throw new ResourceError(
      'QUERY_MEMORY_EXCEEDED',
      `${operator} needs more memory than this process may use: ${over}; ` +
        'filter or aggregate more before sorting or joining, or raise TRIBUTARY_MEMORY_LIMIT_MB',
      { details: { operator } },
    );
  }
}
