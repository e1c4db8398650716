import { RequestError } from '@tributary/common';
import type { QueryRequest } from '../query/query-service.ts';

/** The settings a client may SHOW or SET, with the values Tributary answers (Postgres' names). */
const DEFAULTS: Record<string, string> = {
  server_version: '15.0',
  server_version_num: '150000',
  server_encoding: 'UTF8',
  client_encoding: 'UTF8',
  datestyle: 'ISO, MDY',
  timezone: 'UTC',
  intervalstyle: 'postgres',
  integer_datetimes: 'on',
  standard_conforming_strings: 'on',
  is_superuser: 'off',
  search_path: '"$user", public',
  application_name: '',
  default_transaction_isolation: 'read committed',
  transaction_isolation: 'read committed',
  default_transaction_read_only: 'on',
  transaction_read_only: 'on',
  extra_float_digits: '1',
  max_identifier_length: '63',
  lc_collate: 'C',
  lc_ctype: 'C',
  lc_messages: 'C',
  statement_timeout: '0',
  bytea_output: 'hex',
  // Tributary's own: how old (ms) a stale reflection's data may be for this session's queries.
  'tributary.max_staleness_ms': '0',
};

/** A duration setting as Postgres reads it: a number of `unit`s, or with its own (`5s`, `100ms`, `1min`). */
function milliseconds(name: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/i.exec(value);
  if (!m) throw invalidValue(name, value);
  const scale: Record<string, number> = {
    us: 0.001,
    ms: 1,
    s: 1000,
    min: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  return Math.round(Number(m[1]) * scale[(m[2] ?? 'ms').toLowerCase()]);
}

const invalidValue = (name: string, value: string) =>
  new RequestError('INVALID_SETTING', `invalid value for parameter "${name}": "${value}"`);

/**
 * Settings whose values are checked (and kept in a normal form) when SET; the others are kept
 * as given. A setting Tributary acts on is read where it acts (statement_timeout: QueryPortal's
 * deadline), through SessionSettings.get.
 */
const VALIDATED: Record<string, (value: string) => string> = {
  // Values are kept as given; another encoding Tributary cannot honour is refused.
  client_encoding: (value) => {
    if (!/^(utf-?8|unicode)$/i.test(value))
      throw new RequestError(
        'INVALID_SETTING',
        `client_encoding ${value} is not supported; Tributary speaks UTF8`,
      );
    return value;
  },
  statement_timeout: (value) => String(milliseconds('statement_timeout', value)),
  'tributary.max_staleness_ms': (value) => String(milliseconds('tributary.max_staleness_ms', value)),
  extra_float_digits: (value) => {
    const digits = Number(value);
    if (!Number.isInteger(digits) || digits < -15 || digits > 3)
      throw invalidValue('extra_float_digits', value);
    return String(digits);
  },
};

/** The settings a start-up message may give (pgJDBC sends extra_float_digits, client_encoding, DateStyle). */
const STARTUP_SETTINGS = new Set([
  'application_name',
  'search_path',
  'datestyle',
  'timezone',
  'intervalstyle',
  'extra_float_digits',
  'client_encoding',
  'statement_timeout',
  'bytea_output',
]);

/** Those sent to a client at start-up as ParameterStatus (the ones Postgres reports). */
export const REPORTED_SETTINGS = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'datestyle',
  'timezone',
  'integer_datetimes',
  'standard_conforming_strings',
  'intervalstyle',
  'is_superuser',
  'application_name',
];

/** The spelling Postgres reports a setting's name in. */
const DISPLAY_NAMES: Record<string, string> = {
  datestyle: 'DateStyle',
  timezone: 'TimeZone',
  intervalstyle: 'IntervalStyle',
};
export const displayName = (name: string) => DISPLAY_NAMES[name] ?? name;

/** The QueryRequest fields a session's settings give its queries. */
export type SessionQueryRequest = Pick<QueryRequest, 'timeoutMs' | 'options' | 'maxStalenessMs'>;

/** What a session-level statement answers: a tag, and for SHOW one row of one column. */
export interface SessionAnswer {
  readonly tag: string;
  readonly show?: { readonly column: string; readonly value: string };
  /** A setting that changed and that clients track (ParameterStatus). */
  readonly changed?: { readonly name: string; readonly value: string };
}

const unquote = (text: string) => {
  const t = text.trim();
  return /^'.*'$/s.test(t) ? t.slice(1, -1).replace(/''/g, "'") : t;
};

/**
 * A connection's settings and transaction statements, answered by the session itself
 * (Tributary reads, it never writes, so a transaction is only acknowledged): SET, SHOW of a
 * setting, RESET, BEGIN/COMMIT/ROLLBACK, DISCARD, DEALLOCATE. Anything else is a query.
 */
export class SessionSettings {
  private readonly values = new Map(Object.entries(DEFAULTS));
  /** What RESET goes back to: the defaults with the start-up message's values. */
  private readonly initial: ReadonlyMap<string, string>;

  constructor(startup: Record<string, string>) {
    for (const [name, value] of Object.entries(startup)) {
      const key = name.toLowerCase();
      if (!STARTUP_SETTINGS.has(key)) continue;
      try {
        this.values.set(key, key in VALIDATED ? VALIDATED[key](value) : value);
      } catch {
        // A value it could not take (another encoding) leaves the default: the client is told it.
      }
    }
    this.initial = new Map(this.values);
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  answer(sql: string): SessionAnswer | undefined {
    const text = sql.trim().replace(/;\s*$/, '');
    const transaction = /^(begin|start\s+transaction|commit|end|rollback|abort)\b/i.exec(text);
    if (transaction) {
      const word = transaction[1].toLowerCase();
      const tag =
        word === 'begin' || word.startsWith('start')
          ? 'BEGIN'
          : word === 'commit' || word === 'end'
            ? 'COMMIT'
            : 'ROLLBACK';
      return { tag };
    }
    if (/^discard\s+all$/i.test(text)) return { ...this.reset('all'), tag: 'DISCARD ALL' };
    if (/^discard\s+\w+$/i.test(text)) return { tag: text.toUpperCase().replace(/\s+/g, ' ') };
    if (/^deallocate\b/i.test(text)) return { tag: 'DEALLOCATE' };
    const timeZone = /^set\s+(?:session\s+|local\s+)?time\s+zone\s+(.+)$/is.exec(text);
    if (timeZone) return this.set('timezone', unquote(timeZone[1]));
    const set = /^set\s+(?:session\s+|local\s+)?([a-z_][\w.]*)\s*(?:=|\bto\b)\s*(.+)$/is.exec(text);
    if (set) {
      const name = set[1].toLowerCase();
      if (/^default$/i.test(set[2].trim())) return this.reset(name);
      return this.set(name, unquote(set[2]));
    }
    const reset = /^reset\s+([a-z_][\w.]*)$/i.exec(text);
    if (reset) return { ...this.reset(reset[1].toLowerCase()), tag: 'RESET' };
    const show = /^show\s+([a-z_][\w.]*|transaction\s+isolation\s+level)$/i.exec(text);
    if (show) {
      const name = /^transaction\s/i.test(show[1]) ? 'transaction_isolation' : show[1].toLowerCase();
      const value = this.values.get(name === 'time' ? 'timezone' : name);
      // SHOW TABLES, SHOW SCHEMAS … are Tributary's own statements.
      if (value !== undefined) return { tag: 'SHOW', show: { column: name, value } };
    }
    return undefined;
  }

  private reset(name: string): SessionAnswer {
    if (name === 'all') {
      this.values.clear();
      for (const [k, v] of this.initial) this.values.set(k, v);
    } else if (this.initial.has(name)) this.values.set(name, this.initial.get(name)!);
    else this.values.delete(name);
    const value = this.values.get(name);
    return {
      tag: 'SET',
      ...(REPORTED_SETTINGS.includes(name) && value !== undefined
        ? { changed: { name: displayName(name), value } }
        : {}),
    };
  }

  /** statement_timeout in milliseconds; 0: none of the session's own. */
  statementTimeoutMs(): number {
    return Number(this.values.get('statement_timeout') ?? 0);
  }

  /**
   * What the session's settings add to each query it runs (QueryRequest fields): the one place
   * a setting Tributary acts on becomes part of a query.
   */
  queryRequest(): SessionQueryRequest {
    const timeoutMs = this.statementTimeoutMs();
    const maxStalenessMs = Number(this.values.get('tributary.max_staleness_ms') ?? 0);
    return { ...(timeoutMs > 0 ? { timeoutMs } : {}), ...(maxStalenessMs > 0 ? { maxStalenessMs } : {}) };
  }

  private set(name: string, given: string): SessionAnswer {
    const value = name in VALIDATED ? VALIDATED[name](given) : given;
    this.values.set(name, value);
    return {
      tag: 'SET',
      ...(REPORTED_SETTINGS.includes(name) ? { changed: { name: displayName(name), value } } : {}),
    };
  }
}
