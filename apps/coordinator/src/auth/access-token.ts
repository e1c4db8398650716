import { createHash, randomBytes } from 'node:crypto';

/** Every token starts with this, so a leaked one is recognisable (secret scanners) and never taken for a password. */
export const TOKEN_PREFIX = 'trb_';

/** A new token: a random 32-byte secret, base64url. Only its SHA-256 is stored. */
export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a token: SHA-256, hex. A fast hash suffices: the secret has 256 random bits. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The token of an Authorization header: `Bearer <token>` or Dremio's `_dremio<token>`;
 * undefined when there is no header, null when there is one of another form.
 */
export function tokenOfHeader(header: string | string[] | undefined): string | undefined | null {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim();
  if (value === '') return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(value);
  if (bearer) return bearer[1];
  if (value.startsWith('_dremio') && value.length > '_dremio'.length) return value.slice('_dremio'.length);
  return null;
}
