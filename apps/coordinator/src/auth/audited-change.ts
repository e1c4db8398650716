import { TributaryError } from '@tributary/common';
import type { FastifyRequest } from 'fastify';
import type { AuditLog } from './audit-log.ts';

/**
 * Runs a catalog change and records it in the audit log, a failed one too (with its error's
 * code). The v1 routes and Dremio's v3 catalog routes record their changes through this one
 * function, under the same action names.
 */
export async function auditedChange<T>(
  audit: AuditLog,
  event: { readonly action: string; readonly actor: string | undefined; readonly target: string },
  change: () => Promise<T> | T,
): Promise<T> {
  const { action, actor, target } = event;
  try {
    const result = await change();
    audit.record({ action, actor, target, outcome: 'ok' });
    return result;
  } catch (error) {
    const code = error instanceof TributaryError ? error.code : 'INTERNAL_ERROR';
    audit.record({ action, actor, target, outcome: 'failed', details: { code } });
    throw error;
  }
}

/** auditedChange for route handlers: the request's user is the actor. */
export function auditedRequests(audit: AuditLog) {
  return <T>(request: FastifyRequest, action: string, target: string, change: () => Promise<T> | T) =>
    auditedChange(audit, { action, actor: request.principal.user, target }, change);
}
