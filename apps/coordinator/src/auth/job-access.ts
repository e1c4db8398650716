import type { Principal } from './principal.ts';

/**
 * Whether the principal may see, page or cancel a job run by `owner` (null or undefined: run
 * with auth off, the anonymous user): their own jobs, and any job for an admin.
 */
export function maySeeJob(principal: Principal, owner: string | null | undefined): boolean {
  if (principal.admin) return true;
  return owner !== null && owner !== undefined && owner.toLowerCase() === principal.user?.toLowerCase();
}
