import { RequestError } from '@tributary/common';

/** The error codes of authentication and access control; clients and tests match on them. */
export const AUTH_CODES = {
  authRequired: 'AUTH_REQUIRED',
  tokenInvalid: 'TOKEN_INVALID',
  tokenExpired: 'TOKEN_EXPIRED',
  loginFailed: 'LOGIN_FAILED',
  accessDenied: 'ACCESS_DENIED',
  userNotFound: 'USER_NOT_FOUND',
  invalidUser: 'INVALID_USER',
  invalidPassword: 'INVALID_PASSWORD',
  lastAdmin: 'LAST_ADMIN',
  invalidTokenRequest: 'INVALID_TOKEN_REQUEST',
  tokenNotFound: 'TOKEN_NOT_FOUND',
  setupNotAvailable: 'SETUP_NOT_AVAILABLE',
  setupTokenInvalid: 'SETUP_TOKEN_INVALID',
  invalidGrant: 'INVALID_GRANT',
  objectNotFound: 'OBJECT_NOT_FOUND',
  rateLimited: 'RATE_LIMITED',
  requestTooLarge: 'REQUEST_TOO_LARGE',
} as const;

/** Dremio answers a request without valid credentials with 401 and a WWW-Authenticate challenge. */
export function authRequired(): RequestError {
  return new RequestError(
    AUTH_CODES.authRequired,
    'this endpoint needs a token: sign in with POST /apiv2/login and send "Authorization: Bearer <token>"',
    { status: 401 },
  );
}

export function tokenInvalid(): RequestError {
  return new RequestError(AUTH_CODES.tokenInvalid, 'the token is not valid (unknown, revoked or malformed)', {
    status: 401,
  });
}

export function tokenExpired(): RequestError {
  return new RequestError(AUTH_CODES.tokenExpired, 'the token has expired; sign in again', { status: 401 });
}

/** One answer whether the user is unknown or the password wrong: names cannot be probed. */
export function loginFailed(): RequestError {
  return new RequestError(AUTH_CODES.loginFailed, 'login failed: unknown user name or wrong password', {
    status: 401,
  });
}

export function accessDenied(message: string, details?: Record<string, unknown>): RequestError {
  return new RequestError(AUTH_CODES.accessDenied, message, { status: 403, ...(details ? { details } : {}) });
}

export function adminRequired(what: string): RequestError {
  return accessDenied(`${what} needs the admin role`);
}
