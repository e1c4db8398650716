import { describe, expect, it } from 'vitest';
import { SessionSettings } from './session-settings.ts';

describe('SessionSettings', () => {
  it('reads statement_timeout in Postgres units, refuses what is not a duration, and resets it', () => {
    const settings = new SessionSettings({});
    expect(settings.statementTimeoutMs()).toBe(0);
    for (const [value, ms] of [
      ["'5s'", 5000],
      ['250', 250],
      ["'1min'", 60_000],
      ["'100ms'", 100],
    ] as const) {
      expect(settings.answer(`SET statement_timeout = ${value}`)?.tag).toBe('SET');
      expect(settings.statementTimeoutMs()).toBe(ms);
    }
    expect(settings.answer('SHOW statement_timeout')?.show).toEqual({
      column: 'statement_timeout',
      value: '100',
    });
    expect(() => settings.answer("SET statement_timeout = 'soon'")).toThrow(
      'invalid value for parameter "statement_timeout": "soon"',
    );
    expect(settings.queryRequest()).toEqual({ timeoutMs: 100 });
    settings.answer('SET statement_timeout TO DEFAULT');
    expect(settings.statementTimeoutMs()).toBe(0);
    expect(settings.queryRequest()).toEqual({});
  });

  it('reports changes clients track, and DISCARD ALL restores the start-up values', () => {
    const settings = new SessionSettings({ application_name: 'app' });
    expect(settings.answer('SET application_name = other')?.changed).toEqual({
      name: 'application_name',
      value: 'other',
    });
    expect(settings.answer('SET DateStyle = ISO')?.changed).toEqual({ name: 'DateStyle', value: 'ISO' });
    expect(settings.answer('discard all')?.tag).toBe('DISCARD ALL');
    expect(settings.get('datestyle')).toBe('ISO, MDY');
    expect(settings.get('application_name')).toBe('app');
    expect(settings.answer('SHOW TRANSACTION ISOLATION LEVEL')?.show?.value).toBe('read committed');
    expect(settings.answer('BEGIN')?.tag).toBe('BEGIN');
    expect(settings.answer('ROLLBACK')?.tag).toBe('ROLLBACK');
    expect(() => settings.answer("SET client_encoding = 'LATIN1'")).toThrow(/not supported/);
    expect(() => settings.answer('SET extra_float_digits = 7')).toThrow(/invalid value/);
    expect(settings.answer('SELECT 1')).toBeUndefined();
  });
});
