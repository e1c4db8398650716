import { CatalogError } from '@tributary/common';

const PREFIX = '/api/v3/catalog/by-path/';

/**
 * The path a `/api/v3/catalog/by-path/{path}` URL names: its segments, each URL-decoded once.
 * Read from the raw URL, not the route's wildcard parameter: fastify has decoded that already,
 * so a name holding `/` (`%2F`) would be cut in two and one holding `%` decoded twice.
 */
export function byPathSegments(url: string): string[] {
  const rawPath = url.split('?', 1)[0] ?? '';
  const rest = rawPath.startsWith(PREFIX) ? rawPath.slice(PREFIX.length) : '';
  const path = rest
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new CatalogError('INVALID_PATH', `the path segment '${segment}' is not valid URL encoding`, {
          status: 400,
        });
      }
    });
  if (path.length === 0)
    throw new CatalogError('INVALID_PATH', 'the URL names no path: /api/v3/catalog/by-path/{path}', {
      status: 400,
    });
  return path;
}
