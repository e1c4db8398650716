import { SourceError, closestNames } from '@tributary/common';
import type { Privilege } from '@tributary/catalog';
import type { Principal } from '../auth/principal.ts';
import type { ServerDeps } from './server-deps.ts';

/** Option names that hold a credential: their values are never shown, not even to admins. */
const CREDENTIAL_OPTION = /pass|secret|token|credential|private|key$/i;

/** A source's options as a response may show them: credentials masked for everyone. */
export function maskedOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([k, v]) => [k, CREDENTIAL_OPTION.test(k) ? '********' : v]),
  );
}

/**
 * The source's name as the catalog spells it, when the principal may know of it and holds
 * `privilege` on it (any of `privileges`). A source they may not see is answered as a missing
 * one, with suggestions among those they may see only. The v1 source routes and the v3
 * catalog routes ask this same question.
 */
export function authorizeSource(
  deps: Pick<ServerDeps, 'sources' | 'security'>,
  principal: Principal,
  name: string,
  ...privileges: Privilege[]
): string {
  const { access } = deps.security;
  const canonical = deps.sources.names().find((n) => n.toLowerCase() === name.toLowerCase());
  if (canonical === undefined || !access.maySee(principal, [canonical])) {
    if (principal.admin) deps.sources.get(name); // throws SOURCE_NOT_FOUND, suggestions and all
    const visible = deps.sources.names().filter((n) => access.maySee(principal, [n]));
    const suggestions = closestNames(name, visible);
    const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
    throw new SourceError('SOURCE_NOT_FOUND', `no source named "${name}"${hint}`, {
      status: 404,
      suggestions,
    });
  }
  if (privileges.length > 0 && !privileges.some((p) => access.allows(principal, p, [canonical])))
    access.require(principal, privileges[privileges.length - 1], 'source', [canonical]);
  return canonical;
}
