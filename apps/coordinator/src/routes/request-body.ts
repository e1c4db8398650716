import { RequestError } from '@tributary/common';

/** A request body that must be a JSON object, typed as the route expects it (fields are checked by the service). */
export function requestBody<T>(value: unknown): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError('INVALID_BODY', 'request body must be a JSON object');
  }
  return value as T;
}
