import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';

/** Postgres' default for password_encryption = scram-sha-256. */
const ITERATIONS = 4096;

export interface ScramSecrets {
  readonly salt: string;
  readonly iterations: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/**
 * A password's SCRAM-SHA-256 verifier (RFC 5802/7677) in Postgres' stored form,
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64). PBKDF2 runs on
 * libuv's thread pool, never on the event loop. It lets the wire protocol check a client's
 * proof without the password, and is useless to sign in with (only the password's scrypt
 * hash checks a login elsewhere).
 */
export async function scramVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const salted = await new Promise<Buffer>((resolve, reject) =>
    pbkdf2(password.normalize('NFKC'), salt, ITERATIONS, 32, 'sha256', (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** The parts of a stored verifier; undefined when it is not one. */
export function parseScramVerifier(verifier: string): ScramSecrets | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) return undefined;
  return { iterations: Number(m[1]), salt: m[2], storedKey: m[3], serverKey: m[4] };
}
