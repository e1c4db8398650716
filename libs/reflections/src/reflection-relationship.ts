import type { ReflectionType } from './reflection-definition.ts';

/**
 * Dremio's words for what planning did with a reflection: CONSIDERED (looked at, not
 * usable: `reason` says why), MATCHED (could have served the query, a cheaper one did),
 * CHOSEN (the plan reads it).
 */
export type ReflectionRelationshipKind = 'CONSIDERED' | 'MATCHED' | 'CHOSEN';

/** What a job records of one reflection (the v3 job's `acceleration.reflectionRelationships`). */
export interface ReflectionRelationship {
  readonly reflectionId: string;
  readonly reflectionName: string;
  readonly reflectionType: ReflectionType;
  readonly datasetPath: readonly string[];
  readonly relationship: ReflectionRelationshipKind;
  /** Why it was not chosen, in words ("needs column l_comment"); absent when CHOSEN. */
  readonly reason?: string;
  /** When the data it holds was read (ms since the epoch); absent when not built. */
  readonly builtAt?: number;
  /** How much older its data is than its dataset's now (0: fresh); absent when not built. */
  readonly stalenessMs?: number;
}

/** "stale by 5 min": a duration as a person reads it. */
export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`;
}
