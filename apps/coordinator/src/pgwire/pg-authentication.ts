import { randomBytes } from 'node:crypto';
import type { UserStore } from '@tributary/catalog';
import { verifyScramSha256Password, type ScramSha256Data } from 'pg-gateway';
import { verifyPassword } from '../auth/password-hash.ts';
import { parseScramVerifier, scramVerifier } from '../auth/scram-verifier.ts';

/** pg-gateway's auth settings, chosen per connection once the startup message names the user. */
export type PgAuthOptions =
  | { method: 'trust' }
  | {
      method: 'password';
      getClearTextPassword: () => string;
      validateCredentials: (credentials: { username: string; password: string }) => Promise<boolean>;
    }
  | {
      method: 'scram-sha-256';
      getScramSha256Data: () => ScramSha256Data;
      validateCredentials: (params: {
        authMessage: string;
        clientProof: string;
        scramSha256Data: ScramSha256Data;
      }) => Promise<boolean>;
    };

/** A verifier nobody's proof matches: an unknown user goes through SCRAM like a known one. */
let decoy: Promise<string> | undefined;

/**
 * How a connecting user proves who they are, with auth on: SCRAM-SHA-256 against the
 * verifier stored with their password; a user whose password predates the verifiers
 * (catalog version 9) sends it in cleartext once, is checked against its scrypt hash, and
 * gets a verifier for the next time. `onFailure` learns of a wrong password (answered 28P01).
 */
export async function pgAuthFor(
  users: UserStore,
  userName: string,
  onFailure: () => void,
): Promise<PgAuthOptions> {
  const user = users.getUser(userName);
  if (user && !user.scramVerifier) {
    return {
      method: 'password',
      getClearTextPassword: () => '',
      validateCredentials: async ({ password }) => {
        const ok = await verifyPassword(password, user.passwordHash);
        if (!ok) {
          onFailure();
          return false;
        }
        users.setScramVerifier(user.name, user.passwordHash, await scramVerifier(password));
        return true;
      },
    };
  }
  decoy ??= scramVerifier(randomBytes(16).toString('hex'));
  const secrets = parseScramVerifier(user?.scramVerifier ?? (await decoy))!;
  return {
    method: 'scram-sha-256',
    getScramSha256Data: () => secrets,
    validateCredentials: async ({ authMessage, clientProof, scramSha256Data }) => {
      const ok =
        user !== undefined &&
        (await verifyScramSha256Password({ authMessage, clientProof, storedKey: scramSha256Data.storedKey }));
      if (!ok) onFailure();
      return ok;
    },
  };
}
