import { resolveRoots, tableFiles, takeTableSnapshot } from '@tributary/connectors';
import type { PlanOutcome, PlannedQuery, PlanRequest, TableFreshness } from './plan-query.ts';
import type { Planner } from './planner.ts';

export interface PlanCacheOptions {
  /** Plans kept at most, the least recently used dropped first; 0 keeps none. */
  readonly entries: number;
  /** The catalog's definition version now (CatalogStore.definitionVersion). */
  readonly definitionVersion: () => number;
  /** The source roots, within which the files a plan reads are checked. */
  readonly roots: readonly string[];
  /** Told of each look-up: served from the cache, or planned anew (metrics). */
  readonly onLookup?: (hit: boolean) => void;
}

interface Entry {
  /** The definition version read before it was planned. */
  readonly version: number;
  readonly plan: PlannedQuery;
  readonly freshness: readonly TableFreshness[];
}

/** Longer statements are planned every time: their plans are as large as their text. */
const MAX_CACHED_SQL_CHARS = 64 * 1024;

/**
 * Planning that reuses the plan of a statement seen before, as Dremio's plan cache does: the
 * same text, context, user and cluster shape, with no catalog definition written since (one
 * number, CatalogStore.definitionVersion) and every file it reads unchanged (a stat each: the
 * splits in the plan name them). Repeated dashboard queries then skip the planner thread,
 * whose queue is what a burst of them waits in. A kept plan is frozen and handed out as it is. A statement whose plan holds the clock or a
 * system table's rows is never kept (PlannedQuery.freshness is null).
 */
export class CachingPlanner implements Planner {
  private readonly entries = new Map<string, Entry>();
  /** The roots' real paths, resolved at most every ROOTS_RESOLVED_MS rather than at every look-up. */
  private realRoots: { readonly at: number; readonly paths: Promise<string[]> } | undefined;

  constructor(
    private readonly inner: Planner,
    private readonly options: PlanCacheOptions,
  ) {}

  async plan(request: PlanRequest, signal: AbortSignal): Promise<PlanOutcome> {
    if (this.options.entries <= 0 || request.sql.length > MAX_CACHED_SQL_CHARS)
      return this.inner.plan(request, signal);
    const key = cacheKey(request);
    const version = this.options.definitionVersion();
    const entry = this.entries.get(key);
    // The files are checked with awaits between: a definition written meanwhile voids the entry.
    if (
      entry?.version === version &&
      (await unchanged(entry.freshness, this.options.roots, await this.resolvedRoots())) &&
      this.options.definitionVersion() === version
    ) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.options.onLookup?.(true);
      return entry.plan;
    }
    this.options.onLookup?.(false);
    this.entries.delete(key);
    const outcome = await this.inner.plan(request, signal);
    if (outcome.kind !== 'command' && outcome.freshness) {
      // A copy, frozen: the caller owns what it was given; every hit shares this one, which
      // nobody can change (copying a plan per hit cost more than the rest of the look-up).
      this.entries.set(key, {
        version,
        plan: deepFreeze(structuredClone(outcome)),
        freshness: outcome.freshness,
      });
      for (const oldest of this.entries.keys()) {
        if (this.entries.size <= this.options.entries) break;
        this.entries.delete(oldest);
      }
    }
    return outcome;
  }

  private resolvedRoots(): Promise<string[]> {
    const now = Date.now();
    if (!this.realRoots || now - this.realRoots.at > ROOTS_RESOLVED_MS)
      this.realRoots = { at: now, paths: resolveRoots(this.options.roots) };
    return this.realRoots.paths;
  }
}

/** A table of at most this many files and folders is checked with synchronous stats. */
const IN_PLACE_STATS = 8;

/** How long the roots' real paths are reused: a root re-pointed (a symlink) counts within this. */
const ROOTS_RESOLVED_MS = 1000;

/**
 * `value` with every plain object and array in it frozen: a write to any part throws (ES
 * modules are strict). Typed arrays cannot be frozen and are left as they are.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Everything a plan depends on besides the catalog and the files: the request itself. The
 * executors listed for sys.executors are left out: a statement reading them is never kept.
 */
function cacheKey(request: PlanRequest): string {
  const { executors: _listed, ...rest } = request;
  return JSON.stringify(rest);
}

/** Each table's files as planning saw them (size, mtime, and the folders' mtimes). */
async function unchanged(
  freshness: readonly TableFreshness[],
  roots: readonly string[],
  realRoots: readonly string[],
): Promise<boolean> {
  try {
    for (const table of freshness) {
      const now = await takeTableSnapshot(table.sourceType, table.location, roots, {
        schema: false,
        folders: table.folders,
        realRoots,
        // A few local stats cost microseconds in place, more as round trips through libuv's pool.
        inPlace: tableFiles(table.sourceType, table.location).length + table.folders.length <= IN_PLACE_STATS,
      });
      if (now.fingerprint !== table.fingerprint) return false;
    }
    return true;
  } catch {
    // A file gone out of the roots, unreadable…: planning again says what is wrong.
    return false;
  }
}
