import { RequestError } from '@tributary/common';

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

  constructor(startup: Record<string, string>) {
    for (const [name, value] of Object.entries(startup)) {
      const key = name.toLowerCase();
      if (key === 'application_name' || key === 'search_path' || key === 'datestyle' || key === 'timezone')
        this.values.set(key, value);
    }
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
    if (/^discard\s+\w+$/i.test(text)) return { tag: text.toUpperCase().replace(/\s+/g, ' ') };
    if (/^deallocate\b/i.test(text)) return { tag: 'DEALLOCATE' };
    const timeZone = /^set\s+(?:session\s+|local\s+)?time\s+zone\s+(.+)$/is.exec(text);
    if (timeZone) return this.set('timezone', unquote(timeZone[1]));
    const set = /^set\s+(?:session\s+|local\s+)?([a-z_][\w.]*)\s*(?:=|\bto\b)\s*(.+)$/is.exec(text);
    if (set) return this.set(set[1].toLowerCase(), unquote(set[2]));
    const reset = /^reset\s+([a-z_][\w.]*)$/i.exec(text);
    if (reset) {
      const name = reset[1].toLowerCase();
      if (name === 'all') for (const [k, v] of Object.entries(DEFAULTS)) this.values.set(k, v);
      else if (name in DEFAULTS) this.values.set(name, DEFAULTS[name]);
      return { tag: 'RESET' };
    }
    const show = /^show\s+([a-z_][\w.]*)$/i.exec(text);
    if (show) {
      const name = show[1].toLowerCase();
      const value = this.values.get(name === 'time' ? 'timezone' : name);
      // SHOW TABLES, SHOW SCHEMAS … are Tributary's own statements.
      if (value !== undefined) return { tag: 'SHOW', show: { column: name, value } };
    }
    return undefined;
  }

  private set(name: string, value: string): SessionAnswer {
    // Values are kept as given; those Tributary cannot honour (another encoding) are refused.
    if (name === 'client_encoding' && !/^(utf-?8|unicode)$/i.test(value))
      throw new RequestError(
        'INVALID_SETTING',
        `client_encoding ${value} is not supported; Tributary speaks UTF8`,
      );
    this.values.set(name, value);
    return {
      tag: 'SET',
      ...(REPORTED_SETTINGS.includes(name) ? { changed: { name: displayName(name), value } } : {}),
    };
  }
}
