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
  const expires = now + VALID_MS;
  return `v1.${expires}.${mac(secret, expires, method, path)}`;
}

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
  const expected = Buffer.from(mac(secret, expires, method, path), 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Headers for an internal request (fetch init). */
export function clusterHeaders(secret: string, method: string, url: URL): Record<string, string> {
  return { [CLUSTER_AUTH_HEADER]: signClusterRequest(secret, method, url.pathname + url.search) };
}
