/**
 * Failed pg-wire logins counted per client address over the last minute: past the limit
 * (rateLimitPerMinute, the HTTP limit an address has before sign-in) the address's next
 * connections are refused until its oldest failure is a minute old, so passwords cannot be
 * guessed faster over pg-wire than over HTTP.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    /** Failures an address may have a minute; 0: no limit. */
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A failed login from `address`. */
  failed(address: string): void {
    if (this.perMinute <= 0) return;
    const times = this.recent(address);
    times.push(this.now());
    this.failures.set(address, times);
    // Addresses that never come back are forgotten once many are kept.
    if (this.failures.size > 10_000) for (const known of [...this.failures.keys()]) this.retryAfter(known);
  }

  /** Seconds until `address` may try again; 0 when it may now. */
  retryAfter(address: string): number {
    if (this.perMinute <= 0) return 0;
    const times = this.recent(address);
    if (times.length === 0) this.failures.delete(address);
    if (times.length < this.perMinute) return 0;
    return Math.max(1, Math.ceil((times[times.length - this.perMinute] + 60_000 - this.now()) / 1000));
  }

  private recent(address: string): number[] {
    const since = this.now() - 60_000;
    const times = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (times.length > 0) this.failures.set(address, times);
    return times;
  }
}
