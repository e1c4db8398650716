import { describe, expect, it } from 'vitest';
import { errorBodyFor, redactText } from './redact-for.ts';

const context = {
  sources: () => [
    { name: 'tpch', path: '/srv/data/tpch/parquet' },
    { name: 'one', path: '/srv/data/one.csv' },
  ],
  sourceRoots: ['/srv/data'],
};

describe('redaction for users who are not admins', () => {
  it('shows paths relative to their source, other paths by their last part, no URLs or pids', () => {
    expect(redactText('cannot read "/srv/data/tpch/parquet/lineitem.parquet": bad footer', context)).toBe(
      'cannot read "tpch/lineitem.parquet": bad footer',
    );
    expect(redactText('file /srv/data/one.csv changed', context)).toBe('file one changed');
    expect(redactText('no such file /home/op/.cache/x.bin', context)).toBe('no such file x.bin');
    expect(redactText('executor e1 (http://10.0.0.5:4000) lost, pid 4242', context)).toBe(
      'executor e1 ((an executor)) lost, pid (hidden)',
    );
    expect(redactText('sign in with POST /apiv2/login; 3/4 done', context)).toBe(
      'sign in with POST /apiv2/login; 3/4 done',
    );
  });

  it('redacts messages and details for users, and tells admins where sources may live', () => {
    const body = {
      code: 'SOURCE_FILE_INVALID',
      message: 'cannot read "/srv/data/tpch/parquet/x.parquet"',
      phase: 'source' as const,
      details: { file: '/srv/data/tpch/parquet/x.parquet', nested: ['/etc/passwd'] },
    };
    expect(errorBodyFor(body, { user: 'u', admin: false }, context)).toEqual({
      ...body,
      message: 'cannot read "tpch/x.parquet"',
      details: { file: 'tpch/x.parquet', nested: ['passwd'] },
    });
    expect(errorBodyFor(body, undefined, context).message).toBe('cannot read "tpch/x.parquet"');
    expect(errorBodyFor(body, { admin: true }, context)).toBe(body);
    const refused = errorBodyFor(
      {
        code: 'PATH_NOT_ALLOWED',
        message: 'path "/etc" is outside the allowed data folders',
        phase: 'source',
      },
      { admin: true },
      context,
    );
    expect(refused.message).toContain('"/srv/data"');
    expect(refused.message).toContain('TRIBUTARY_SOURCE_ROOTS');
    expect(refused.details).toMatchObject({ allowedRoots: ['/srv/data'], setting: 'TRIBUTARY_SOURCE_ROOTS' });
  });
});
