/** Who a request acts for. */
export interface Principal {
  /** The signed-in user's name; absent when auth is off (the one local operator). */
  readonly user?: string;
  readonly userId?: string;
  readonly admin: boolean;
  /** The token's id, so a user can tell the session they use (absent when auth is off). */
  readonly tokenId?: string;
}

/** Auth off: whoever reaches the loopback service operates it, with every right. */
export const LOCAL_OPERATOR: Principal = { admin: true };

/** Auth on, no (valid) token, on a route that needs none: sees only what is public. */
export const ANONYMOUS: Principal = { admin: false };
