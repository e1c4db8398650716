import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header that carries a request's proof of the cluster secret. */
export const CLUSTER_AUTH_HEADER = 'x-tributary-cluster-auth';

/** How long a signature stays valid; generous enough for clocks a little apart. */
const VALID_MS = 5 * 60_000;

/** A fresh random secret (embedded executors share one made at each coordinator start). */
export function randomClusterSecret(): string {
  return randomBytes(32).toString('base64url');
}

function mac(secret: string, expires: number, method: string, path: string): string {
  return createHmac('sha256', secret)
    .update(`v1\n${expires}\n${method.toUpperCase()}\n${path}`)
    .digest('hex');
}

/**
 * The header value for one internal request: an HMAC of the method, path and an expiry
 * under the cluster secret (the way Trino signs its internal requests), so the secret itself
 * never crosses the network and a captured value is good only for that route, briefly.
 */
export function signClusterRequest(secret: string, method: string, path: string, now = Date.now()): string {
  const key = `${method}\n${path}`;
  const made = signed.get(key);
  // A signature made within the last REUSE_MS is used again: one HMAC a second per route, not per request.
  if (made && made.secret === secret && made.at <= now && now - made.at < REUSE_MS) return made.value;
  const expires = now + VALID_MS;
  const value = `v1.${expires}.${mac(secret, expires, method, path)}`;
  if (signed.size >= MAX_REMEMBERED) signed.clear();
  signed.set(key, { secret, at: now, value });
  return value;
}

/** How long a signature (valid VALID_MS) is reused by its signer, and remembered as checked by a verifier. */
const REUSE_MS = 1000;
/** Routes (signer) and signatures (verifier) remembered at most; past it they are forgotten at once. */
const MAX_REMEMBERED = 256;
/** Signatures made, by method and path (task routes are few: one per kind, exchange reads one per partition). */
const signed = new Map<string, { readonly secret: string; readonly at: number; readonly value: string }>();
/** Signatures verified, by secret, method, path and value, with the expiry they carry. */
const verified = new Map<string, number>();

/** Whether `header` proves the secret for this method and path (path with its query string). */
export function verifyClusterRequest(
  secret: string,
  header: string | string[] | undefined,
  method: string,
  path: string,
  now = Date.now(),
): boolean {
  if (typeof header !== 'string') return false;
  const [version, expiresText, given] = header.split('.');
  const expires = Number(expiresText);
  if (version !== 'v1' || !Number.isInteger(expires) || !given) return false;
  if (expires < now || expires > now + 2 * VALID_MS) return false;
  // The same signature for the same request, verified before and not expired (checked above).
  const key = `${secret}\n${method}\n${path}\n${header}`;
  if (verified.get(key) === expires) return true;
  const expected = Buffer.from(mac(secret, expires, method, path), 'hex');
  const actual = Buffer.from(given, 'hex');
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (ok) {
    if (verified.size >= MAX_REMEMBERED) verified.clear();
    verified.set(key, expires);
  }
  return ok;
}

/** Headers for an internal request (fetch init). */
export function clusterHeaders(secret: string, method: string, url: URL): Record<string, string> {
  return { [CLUSTER_AUTH_HEADER]: signClusterRequest(secret, method, url.pathname + url.search) };
}
